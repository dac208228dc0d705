"""Parallel wrong passwords against one account: each attempt is counted before its
password is checked, so no more than the limit ever reach the check, with the limiter
in memory (all-in-one) and in Redis (replicas)."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from identity_harness import PASSWORD, Identity, identity_settings
from sqlalchemy import select

from portal_identity.module import module
from portal_identity.sessions.models import LoginAudit

pytestmark = pytest.mark.integration

LIMIT = 5  # IDENTITY_LOGIN_FAILURES_PER_ACCOUNT


@pytest.fixture(params=["memory", "redis"])
async def throttled(
    request: pytest.FixtureRequest, pg_databases, migrated_templates, event_namespace: str
) -> AsyncIterator[Identity]:
    portal = {}
    if request.param == "redis":
        # Keys under a namespace of the test's own.
        portal = {
            "redis_url": request.getfixturevalue("redis_url"),
            "event_namespace": event_namespace,
        }
    url = await pg_databases.create("identity", template=migrated_templates["identity"])
    app = module.create_app(identity_settings(url, **portal))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://identity") as client:
            yield Identity(app, client)


async def test_parallel_wrong_passwords_reach_the_check_at_most_limit_times(
    throttled: Identity,
) -> None:
    org = await throttled.organization("Acme")
    await throttled.user("anna", roles=["customer"], organization_id=org["id"])

    async def guess(n: int) -> int:
        r = await throttled.client.post(
            "/api/v1/auth/login",
            json={"username": "anna", "password": f"wrong-password-{n}"},
            headers={"X-Forwarded-For": "198.51.100.9"},
        )
        return r.status_code

    answers = Counter(await asyncio.gather(*(guess(n) for n in range(40))))
    assert answers == {401: LIMIT, 429: 40 - LIMIT}
    async with throttled.runtime.session_factory() as s:
        outcomes = Counter(
            await s.scalars(select(LoginAudit.outcome).where(LoginAudit.username == "anna"))
        )
    assert outcomes == {"failure": LIMIT, "throttled": 40 - LIMIT}
    # Even the right password waits for the window to end.
    assert (await throttled.login("anna", PASSWORD)).status_code == 429


async def test_successful_sign_ins_do_not_use_up_the_address(throttled: Identity) -> None:
    org = await throttled.organization("Acme")
    await throttled.user("anna", roles=["customer"], organization_id=org["id"])
    office = {"X-Forwarded-For": "198.51.100.10"}
    for _ in range(25):  # more than the address's 20 failures, all successful
        r = await throttled.client.post(
            "/api/v1/auth/login", json={"username": "anna", "password": PASSWORD}, headers=office
        )
        assert r.status_code == 200, r.text
