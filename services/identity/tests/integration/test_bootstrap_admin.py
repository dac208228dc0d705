"""Replicas start side by side and each makes sure the bootstrap admin exists: exactly
one creates it, the others find it (a lost race is not a failed start)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from portal_chassis.db import make_session_factory
from portal_identity.accounts.models import User
from portal_identity.accounts.service import ensure_bootstrap_admin
from portal_identity.base import messaging
from portal_identity.uow import IdentityUoW

pytestmark = pytest.mark.integration


@pytest.fixture
async def sessions(
    pg_databases, migrated_templates
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = await pg_databases.create("identity", template=migrated_templates["identity"])
    engine = create_async_engine(url)
    yield make_session_factory(engine)
    await engine.dispose()


async def test_replicas_starting_together_make_one_admin(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    async def start() -> bool:
        uow = IdentityUoW(sessions, producer="identity", tables=messaging)
        return await ensure_bootstrap_admin(uow=uow, password="bootstrap-Secret-42")

    created = await asyncio.gather(*(start() for _ in range(5)))
    assert sorted(created) == [False, False, False, False, True]
    async with sessions() as session:
        admins = await session.scalar(
            select(func.count()).select_from(User).where(User.username == "admin")
        )
    assert admins == 1
