"""Fixtures of the notify service's integration tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from portal_chassis.db import make_session_factory


@pytest.fixture
async def sessions(
    pg_databases, migrated_templates
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """Sessions on a migrated notify database of the test's own (PostgreSQL)."""
    url = await pg_databases.create("notify", template=migrated_templates["notify"])
    engine = create_async_engine(url)
    yield make_session_factory(engine)
    await engine.dispose()
