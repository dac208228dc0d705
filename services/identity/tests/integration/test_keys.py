"""The signing keys on a real database: the first key made at start, rotation, and the
superseded key published for the grace period, then retired."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from portal_chassis.db import make_session_factory
from portal_identity.keys.models import SigningKey
from portal_identity.keys.ring import ALGORITHM, KeyRing

pytestmark = pytest.mark.integration


@pytest.fixture
async def sessions(
    pg_databases, migrated_templates
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    url = await pg_databases.create("identity", template=migrated_templates["identity"])
    engine = create_async_engine(url)
    yield make_session_factory(engine)
    await engine.dispose()


async def test_a_fresh_database_gets_a_key_that_signs_and_verifies(sessions) -> None:
    ring = KeyRing(sessions, grace=timedelta(minutes=60))
    await ring.load()
    token = ring.sign({"sub": "someone"})
    keys = KeySet.import_key_set(await ring.jwks())  # type: ignore[arg-type]
    assert jwt.decode(token, keys, algorithms=[ALGORITHM]).claims["sub"] == "someone"
    assert [k.kid for k in await ring.published()] == [ring.active_kid]


async def test_the_superseded_key_stays_published_for_the_grace_period(sessions) -> None:
    ring = KeyRing(sessions, grace=timedelta(minutes=60))
    await ring.load()
    first = ring.active_kid
    second = await ring.rotate()
    assert ring.active_kid == second.kid
    assert [k.kid for k in await ring.published()] == [first, second.kid]

    # The newer key has signed for longer than the grace period: the older one goes.
    now = datetime.now(UTC)
    async with sessions() as session:
        for kid, age in ((first, 120), (second.kid, 61)):
            await session.execute(
                update(SigningKey)
                .where(SigningKey.kid == kid)
                .values(created_at=now - timedelta(minutes=age))
            )
        await session.commit()
    await ring.retire_superseded()
    assert [k.kid for k in await ring.published()] == [second.kid]
