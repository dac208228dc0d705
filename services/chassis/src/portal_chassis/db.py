"""Database engines and the declarative base each service builds its models on."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, TypeDecorator, event, text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so Alembic autogenerate gives the same migration on SQLite
# and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_base() -> type[DeclarativeBase]:
    """A declarative base with its own metadata: one per service, never shared."""

    class Base(DeclarativeBase):
        metadata = new_metadata()

    return Base


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite drops the offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_engine(
    url: str, *, statement_timeout: float | None = None, **kwargs: Any
) -> AsyncEngine:
    """An engine for a service. `statement_timeout` (seconds, PostgreSQL) cancels a
    query that outlives the caller's patience, so that it stops costing the database."""
    if is_sqlite(url):
        engine = create_async_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 10)
        kwargs.setdefault("pool_pre_ping", True)
    # asyncpg prepares every statement; after five runs PostgreSQL may switch a prepared
    # statement to a generic plan that ignores the parameters, which is a bad trade for
    # queries whose best plan depends on them (a small organization or a whole desk).
    server_settings = {"plan_cache_mode": "force_custom_plan"}
    if statement_timeout:
        server_settings["statement_timeout"] = str(int(statement_timeout * 1000))
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("server_settings", {}).update(server_settings)
    return create_async_engine(url, **kwargs)


def _tune_sqlite(engine: AsyncEngine) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue
    # instead of failing with "database is locked".
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
