from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from portal_chassis.testing.sample import Database, open_database


@pytest.fixture
async def sqlite_db(tmp_path) -> AsyncIterator[Database]:
    db = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    yield db
    await db.engine.dispose()


@pytest.fixture
async def pg_db(pg_url: str) -> AsyncIterator[Database]:
    db = await open_database(pg_url)
    yield db
    await db.engine.dispose()
