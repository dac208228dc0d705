"""A hot read's statement is built once, at import (`db.any_of`), and given its values
when it runs: the same statement object answers lists of any length, on both databases,
and is compiled once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal_chassis.db import any_of
from portal_chassis.testing.sample import Database, Thing

pytestmark = pytest.mark.integration

BY_IDS = select(Thing).where(any_of(Thing.id)).order_by(Thing.name)


async def _check(db: Database) -> None:
    uow = db.uow()
    things = [Thing.create(name) for name in ("desk", "printer", "scanner")]
    async with uow:
        uow.session.add_all(things)
        await uow.commit()
    async with db.sessions() as s:
        one = await s.scalars(BY_IDS, {"ids": [things[1].id]})
        assert [t.name for t in one] == ["printer"]
        two = await s.scalars(BY_IDS, {"ids": [things[2].id, things[0].id]})
        assert [t.name for t in two] == ["desk", "scanner"]
    # Built once: the statement's cache key is worked out once, not per execution.
    assert BY_IDS._generate_cache_key() is BY_IDS._generate_cache_key()


async def test_on_postgresql(pg_db: Database) -> None:
    await _check(pg_db)


async def test_on_sqlite(sqlite_db: Database) -> None:
    await _check(sqlite_db)
