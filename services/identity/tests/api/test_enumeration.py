"""Nobody learns from the identity API which accounts exist elsewhere: a customer admin's
taken user name gets one answer wherever the name is in use, and the lost-password form
answers in the same time for real and unknown accounts."""

from __future__ import annotations

import statistics
import time

import pytest
from identity_harness import Identity

from portal_identity.sessions.service import FORGOT_MIN_SECONDS

pytestmark = pytest.mark.integration


async def test_a_taken_user_name_gets_the_same_answer_in_every_organization(
    identity: Identity,
) -> None:
    acme = await identity.organization("Acme")
    globex = await identity.organization("Globex Secret Labs")
    await identity.user("anna", roles=["customer_admin"], organization_id=acme["id"])
    await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    await identity.user("carla", roles=["customer"], organization_id=globex["id"])
    await identity.user("erik", roles=["agent"])
    anna = await identity.auth("anna")

    async def create(username: str) -> dict:
        r = await identity.client.post(
            "/api/v1/admin/users",
            json={"username": username, "email": f"{username}@acme.test", "roles": ["customer"]},
            headers=anna,
        )
        assert r.status_code == 409, r.text
        assert "Globex" not in r.text and globex["id"] not in r.text
        return {k: v for k, v in r.json().items() if k not in ("instance", "request_id")}

    own, elsewhere, staff = await create("ben"), await create("carla"), await create("erik")
    assert own == elsewhere == staff
    assert "ben" not in own["detail"]

    async def request(username: str) -> dict:
        r = await identity.client.post(
            "/api/v1/access-requests",
            json={"username": username, "email": f"{username}@acme.test", "role": "customer"},
            headers=anna,
        )
        assert r.status_code == 409, r.text
        return {k: v for k, v in r.json().items() if k not in ("instance", "request_id")}

    # Asking the vendor for an account answers exactly as creating one does.
    assert await request("ben") == await request("carla") == await request("erik") == own


async def test_lost_password_answers_take_the_same_time_for_real_and_unknown_accounts(
    identity: Identity,
) -> None:
    # One account per call: a sixth request for one account an hour sends no mail (and
    # does no work), which would hide the difference this test looks for.
    calls = 20
    for n in range(calls):
        await identity.user(f"real{n}", roles=["agent"])

    async def timed(username: str) -> float:
        started = time.perf_counter()
        r = await identity.client.post("/api/v1/auth/password/forgot", json={"username": username})
        assert r.status_code == 202
        return time.perf_counter() - started

    real, unknown = [], []
    for n in range(calls):  # interleaved: a busy moment of the machine hits both alike
        real.append(await timed(f"real{n}"))
        unknown.append(await timed(f"nobody{n}"))
    slow, fast = sorted([statistics.median(real), statistics.median(unknown)], reverse=True)
    assert slow / fast < 1.5, (statistics.median(real), statistics.median(unknown))
    # The mechanism: every answer waits for the same floor, whatever work it did.
    assert min(real + unknown) >= 0.95 * FORGOT_MIN_SECONDS
    mails = await identity.events("identity.password_reset.requested")
    assert len(mails) == calls  # the real accounts' work was done, in the request
