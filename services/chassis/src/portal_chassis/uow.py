"""The unit of work: the only place a service commits.

Events recorded during the unit (by aggregates or with `emit`) are written to the
outbox in the same transaction as the state change; the relay publishes them after
commit. A consumer's inbox mark joins the same transaction, so "applied" and "seen"
cannot disagree.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any, Self

from sqlalchemy import event as orm_event
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from portal_chassis.envelope import Envelope, Event
from portal_chassis.messaging import MessagingTables
from portal_chassis.readthrough import ReadThroughs


class RecordsEvents:
    """Mixin for aggregates that record domain events for the unit of work to collect."""

    def record(self, event: Event) -> None:
        self.__dict__.setdefault("_pending_events", []).append(event)

    def pop_events(self) -> list[Event]:
        events: list[Event] = self.__dict__.pop("_pending_events", [])
        return events


class UnitOfWork:
    session: AsyncSession

    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        *,
        producer: str,
        tables: MessagingTables,
        on_commit: Callable[[], None] | None = None,
        read_throughs: ReadThroughs | None = None,
        read_session_factory: async_sessionmaker[AsyncSession] | None = None,
    ) -> None:
        # Where a read model asks the owner of a fact it misses (None: it knows only what
        # it holds, e.g. in a migration or a unit test).
        self.read_throughs = read_throughs
        self._session_factory = session_factory
        # Sessions whose connections run each statement on its own (see `reading`).
        self._read_session_factory = read_session_factory or session_factory
        self._reading = False
        self.producer = producer
        self._tables = tables
        self._on_commit = on_commit
        self._events: list[Event | Envelope] = []
        self._inbox_key: tuple[uuid.UUID, str] | None = None
        self.inbox_recorded = False

    def fresh_session(self) -> AsyncSession:
        """A session outside this unit's transaction (each statement sees the latest
        commits), e.g. to wait for a read model to catch up before the unit starts."""
        return self._session_factory()

    def reading(self) -> Self:
        """Enter this unit for reading only: its statements then run outside a
        transaction, which spares two round trips (BEGIN and ROLLBACK) per unit. Under
        PostgreSQL's READ COMMITTED each statement sees the latest commits either way, so
        the reads are the ones a transaction would give. A reading unit refuses to write
        (a flush would commit at once, not with the unit)."""
        self._reading = True
        return self

    async def __aenter__(self) -> Self:
        if self._reading:
            self.session = self._read_session_factory()
            orm_event.listen(self.session.sync_session, "before_flush", _refuse_writes)
        else:
            self.session = self._session_factory()
        self._events = []
        # The identity map holds flushed objects weakly: an aggregate flushed mid-unit
        # and no longer referenced would take its events with it. Take them at flush.
        orm_event.listen(self.session.sync_session, "before_flush", self._take_events)
        self.enter_repositories(self.session)
        return self

    def _take_events(self, session: Session, _context: object, _instances: object) -> None:
        for obj in [*session.new, *session.dirty]:
            if isinstance(obj, RecordsEvents):
                self._events.extend(obj.pop_events())

    def enter_repositories(self, session: AsyncSession) -> None:
        """Hook for subclasses: attach repositories to the fresh session."""

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Anything not committed explicitly is rolled back, including its events. close()
        # rolls back and detaches the objects without expiring them, so what a use case
        # loaded stays readable after the unit ends.
        self._events = []
        self._reading = False  # the next `async with` is a unit of work like any other
        await self.session.close()

    def emit(self, event: Event | Envelope) -> None:
        self._events.append(event)

    def processing(self, event_id: uuid.UUID, consumer: str) -> None:
        """Mark this unit as the handling of one event: commit also records it in the inbox."""
        self._inbox_key = (event_id, consumer)

    async def already_processed(self) -> bool:
        assert self._inbox_key is not None
        event_id, consumer = self._inbox_key
        inbox = self._tables.inbox
        async with self._session_factory() as session:
            found = await session.scalar(
                select(inbox.c.event_id).where(
                    inbox.c.event_id == event_id, inbox.c.consumer == consumer
                )
            )
        return found is not None

    async def commit(self) -> None:
        if self._reading:
            raise RuntimeError("a unit of work entered for reading cannot commit")
        envelopes = self._collect_envelopes()
        if envelopes:
            await self.session.execute(
                insert(self._tables.outbox),
                [
                    {"event_id": e.id, "type": e.type, "payload": e.model_dump_json()}
                    for e in envelopes
                ],
            )
        if self._inbox_key is not None and not self.inbox_recorded:
            event_id, consumer = self._inbox_key
            await self.session.execute(
                insert(self._tables.inbox).values(event_id=event_id, consumer=consumer)
            )
        await self.session.commit()
        if self._inbox_key is not None:
            self.inbox_recorded = True
        if envelopes and self._on_commit is not None:
            self._on_commit()

    async def rollback(self) -> None:
        self._events = []
        await self.session.rollback()

    def _collect_envelopes(self) -> list[Envelope]:
        events: list[Event | Envelope] = list(self._events)
        self._events = []
        seen: set[int] = set()
        for obj in [*self.session.new, *self.session.identity_map.values()]:
            if isinstance(obj, RecordsEvents) and id(obj) not in seen:
                seen.add(id(obj))
                events.extend(obj.pop_events())
        return [e if isinstance(e, Envelope) else e.envelope(self.producer) for e in events]


def _refuse_writes(session: Session, _context: object, _instances: object) -> None:
    if session.new or session.dirty or session.deleted:
        raise RuntimeError("a unit of work entered for reading cannot write")


def uow_factory(cls: type[UnitOfWork], **kwargs: Any) -> Callable[[], UnitOfWork]:
    return lambda: cls(**kwargs)
