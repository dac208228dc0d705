"""Database engines and the declarative base each service builds its models on."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    DateTime,
    MetaData,
    TypeDecorator,
    bindparam,
    event,
    exc,
    text,
)
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


def any_of(column: Any, name: str = "ids") -> ColumnElement[bool]:
    """`column IN (...)` with the values given when the statement runs, as the
    parameter `name` (a list). A hot read's statement is then built once, at import,
    not for every request: building one (its operators, coercions and cache key) costs
    more CPU than PostgreSQL spends answering it."""
    return column.in_(bindparam(name, expanding=True))  # type: ignore[no-any-return]


def utcnow() -> datetime:
    return datetime.now(UTC)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def pool_size_for(cpus: int | None = None) -> int:
    """Pooled connections per service process: four per core, at least 8.

    Under load a process keeps several requests in flight per core, each holding a
    connection for its unit of work. A pool smaller than that opens a connection for
    every request beyond it and closes it when handed back: a new PostgreSQL backend
    (a fork, authentication, an empty statement cache) per request, which measured
    cost more CPU than the request itself. Bursts beyond the pool may open as many
    again (`max_overflow`), closed when handed back. Connections open as they are
    first needed: a process at rest holds few."""
    return max(8, 4 * (cpus or os.cpu_count() or 1))


# A connection handed back this recently is trusted without a ping (see `_ping_when_idle`).
IDLE_PING_SECONDS = 10.0


def create_engine(
    url: str,
    *,
    statement_timeout: float | None = None,
    pool_size: int | None = None,
    **kwargs: Any,
) -> AsyncEngine:
    """An engine for a service. `statement_timeout` (seconds, PostgreSQL) cancels a
    query that outlives the caller's patience, so that it stops costing the database.
    `pool_size` defaults to `pool_size_for()`."""
    if is_sqlite(url):
        engine = create_async_engine(url, **kwargs)
        _tune_sqlite(engine)
        return engine
    pinged = "poolclass" not in kwargs
    if pinged:
        size = pool_size or pool_size_for()
        kwargs.setdefault("pool_size", size)
        kwargs.setdefault("max_overflow", size)
    # asyncpg prepares every statement; after five runs PostgreSQL may switch a prepared
    # statement to a generic plan that ignores the parameters, which is a bad trade for
    # queries whose best plan depends on them (a small organization or a whole desk).
    server_settings = {"plan_cache_mode": "force_custom_plan"}
    if statement_timeout:
        server_settings["statement_timeout"] = str(int(statement_timeout * 1000))
    connect_args = kwargs.setdefault("connect_args", {})
    connect_args.setdefault("server_settings", {}).update(server_settings)
    engine = create_async_engine(url, **kwargs)
    if pinged:
        _ping_when_idle(engine)
    return engine


def _ping_when_idle(engine: AsyncEngine) -> None:
    """Ping a pooled connection before use only when it lay idle for a while.

    `pool_pre_ping` pings at every checkout: with asyncpg three round trips (BEGIN, an
    empty statement, ROLLBACK) before each request's own, a fifth of a primary-key
    read. A connection that went back to the pool moments ago is alive as far as
    anyone can know; one that lay idle may have been cut (a database restart, a
    firewall's idle timeout) and is pinged, and replaced when the ping fails."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _checked_in(_dbapi_connection: Any, record: Any) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned < IDLE_PING_SECONDS:
            return  # new, or in use moments ago
        try:
            dbapi_connection.ping()
        except Exception as error:
            # The pool drops this connection and checks out (or opens) another.
            raise exc.DisconnectionError("idle connection is gone") from error


# How long a SQLite writer waits for the one before it. SQLite lets waiters retry in
# turns with growing sleeps, not in order, so under a burst (ten writes to one ticket on
# a busy machine) the last may wait several times one write's length; a shorter wait
# turned such a burst into 503s. Below the gateway's upstream timeout, so that a write
# that never gets its turn still ends with the service's own answer.
SQLITE_BUSY_SECONDS = 20


def _tune_sqlite(engine: AsyncEngine) -> None:
    # WAL lets readers run beside the one writer; busy_timeout makes writers queue
    # instead of failing with "database is locked".
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def make_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


def make_read_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for units that only read (`UnitOfWork.reading`): the same pool, each
    statement run on its own, without BEGIN and ROLLBACK around them."""
    return make_session_factory(engine.execution_options(isolation_level="AUTOCOMMIT"))


async def ping(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        await conn.execute(text("SELECT 1"))
