"""The pool pings a connection only after it lay idle, and replaces one that is gone."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from portal_chassis import db

pytestmark = pytest.mark.integration


@pytest.fixture
async def engine(pg_url: str) -> AsyncIterator[AsyncEngine]:
    engine = db.create_engine(pg_url, pool_size=1)
    yield engine
    await engine.dispose()


async def _backend(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int(await conn.scalar(text("SELECT pg_backend_pid()")))


async def test_a_connection_used_moments_ago_is_handed_out_without_a_ping(
    engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with engine.connect() as conn:
        adapter = type((await conn.get_raw_connection()).dbapi_connection)
    pings: list[object] = []
    monkeypatch.setattr(adapter, "ping", lambda _self: pings.append(1))
    first = await _backend(engine)
    assert await _backend(engine) == first  # the same pooled connection, not pinged
    assert pings == []
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # as if it had lain idle
    assert await _backend(engine) == first
    assert pings == [1]


async def test_an_idle_connection_that_was_cut_is_replaced(
    engine: AsyncEngine, pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await _backend(engine)
    # Cut it from the server's side, as a restart or a firewall's idle timeout would.
    other = db.create_engine(pg_url)
    try:
        async with other.connect() as conn:
            await conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
    finally:
        await other.dispose()
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 0.0)  # it counts as idle now
    second = await _backend(engine)  # no error: the ping failed, a new one was opened
    assert second != first


async def test_the_pool_is_sized_to_the_machine() -> None:
    assert db.pool_size_for(1) == 8
    assert db.pool_size_for(2) == 8
    assert db.pool_size_for(8) == 32


async def test_steady_load_at_the_pool_size_keeps_its_connections(pg_url: str) -> None:
    """Eight requests at a time, again and again, on a 2-core machine's pool: the same
    eight backends serve every round (a smaller pool would open and close one per
    request beyond it)."""
    engine = db.create_engine(pg_url, pool_size=db.pool_size_for(2))

    async def request() -> int:
        async with engine.connect() as conn:
            pid = int(await conn.scalar(text("SELECT pg_backend_pid()")))
            await asyncio.sleep(0.02)  # all eight hold theirs at once
            return pid

    try:
        rounds = [set(await asyncio.gather(*(request() for _ in range(8)))) for _ in range(3)]
    finally:
        await engine.dispose()
    assert len(rounds[0]) == 8
    assert rounds[1] == rounds[0] and rounds[2] == rounds[0]
