"""The all-in-one mode's SQLite runs one writer at a time: a write that finds another
under way waits its turn, even a long turn, instead of failing as "database is locked"
(a 503 to the caller)."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from portal_chassis.testing.sample import Database, Thing

pytestmark = pytest.mark.integration

# Longer than SQLite's default wait and the five seconds this mode used to allow.
HELD_SECONDS = 5.5


def _hold_write_lock(path: Path, held: threading.Event, seconds: float) -> None:
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        held.set()
        time.sleep(seconds)
        other.execute("COMMIT")
    finally:
        other.close()


async def test_a_write_waits_for_a_long_write_before_it(sqlite_db: Database, tmp_path) -> None:
    held = threading.Event()
    holder = threading.Thread(
        target=_hold_write_lock, args=(tmp_path / "test.db", held, HELD_SECONDS)
    )
    holder.start()
    try:
        assert await asyncio.to_thread(held.wait, 10)
        started = time.monotonic()
        uow = sqlite_db.uow()
        async with uow:
            uow.session.add(Thing.create("queued"))
            await uow.commit()
        waited = time.monotonic() - started
    finally:
        await asyncio.to_thread(holder.join)
    assert waited >= HELD_SECONDS - 0.5  # it did wait for the other writer
    async with sqlite_db.sessions() as s:
        assert await s.scalar(select(Thing.name)) == "queued"
