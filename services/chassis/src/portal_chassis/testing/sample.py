"""A miniature service (one table, one event) for testing the chassis' own mechanisms."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import ClassVar

from sqlalchemy import String, Uuid
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal_chassis.db import (
    create_engine,
    make_read_session_factory,
    make_session_factory,
    new_metadata,
)
from portal_chassis.envelope import Event
from portal_chassis.messaging import add_messaging_tables
from portal_chassis.uow import RecordsEvents, UnitOfWork


class Base(DeclarativeBase):
    metadata = new_metadata()


tables = add_messaging_tables(Base.metadata)


class ThingCreated(Event):
    event_type: ClassVar[str] = "test.thing.created"

    id: uuid.UUID
    name: str


class Thing(Base, RecordsEvents):
    __tablename__ = "thing"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))

    @classmethod
    def create(cls, name: str) -> Thing:
        thing = cls(id=uuid.uuid4(), name=name)
        thing.record(ThingCreated(id=thing.id, name=name))
        return thing


class Database:
    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessions: async_sessionmaker[AsyncSession] = make_session_factory(engine)
        self.read_sessions = make_read_session_factory(engine)

    def uow(self, on_commit: Callable[[], None] | None = None) -> UnitOfWork:
        return UnitOfWork(
            self.sessions,
            producer="test",
            tables=tables,
            on_commit=on_commit,
            read_session_factory=self.read_sessions,
        )


async def open_database(url: str) -> Database:
    engine = create_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    return Database(engine)
