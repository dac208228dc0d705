"""A unit of work entered for reading runs its statements outside a transaction, and
refuses to write: a flush there would commit at once instead of with the unit."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select, text

from portal_chassis.testing.sample import Database, Thing, tables

pytestmark = pytest.mark.integration


async def _second_statement_alone(db: Database, *, reading: bool) -> bool:
    """Whether two statements ran in transactions of their own: `now()` is when the
    transaction began, the same for every statement inside one."""
    uow = db.uow()
    async with uow.reading() if reading else uow:
        first = await uow.session.scalar(text("SELECT now()"))
        await asyncio.sleep(0.01)
        return first != await uow.session.scalar(text("SELECT now()"))


async def test_a_reading_unit_runs_each_statement_on_its_own(pg_db: Database) -> None:
    assert await _second_statement_alone(pg_db, reading=True)
    assert not await _second_statement_alone(pg_db, reading=False)


async def test_a_reading_unit_refuses_to_write_and_keeps_nothing(pg_db: Database) -> None:
    uow = pg_db.uow()
    with pytest.raises(RuntimeError, match="reading"):
        async with uow.reading():
            uow.session.add(Thing.create("printer"))
            await uow.session.flush()
    with pytest.raises(RuntimeError, match="reading"):
        async with uow.reading():
            await uow.commit()
    async with pg_db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Thing)) == 0
        assert await s.scalar(select(func.count()).select_from(tables.outbox)) == 0


async def test_the_next_unit_after_a_reading_one_writes_as_usual(pg_db: Database) -> None:
    uow = pg_db.uow()
    async with uow.reading():
        await uow.session.execute(text("SELECT 1"))
    async with uow:
        uow.session.add(Thing.create("printer"))
        await uow.commit()
    async with pg_db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Thing)) == 1
        assert await s.scalar(select(func.count()).select_from(tables.outbox)) == 1


async def test_reading_units_work_on_sqlite_too(sqlite_db: Database) -> None:
    uow = sqlite_db.uow()
    async with uow:
        uow.session.add(Thing.create("printer"))
        await uow.commit()
    async with uow.reading():
        assert await uow.session.scalar(select(func.count()).select_from(Thing)) == 1
