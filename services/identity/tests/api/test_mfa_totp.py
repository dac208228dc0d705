"""Two-factor sign-in with an authenticator app (TOTP): enrolment, the two steps of a
sign-in, replays and clock skew, recovery codes, throttling, the policy per role, an
admin's reset, turning it off, new recovery codes, the tokens' `amr`/`acr`, and parallel
uses of one code on PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack
from typing import Any

import httpx
import pyotp
import pytest
from identity_harness import PASSWORD, Identity, identity_settings
from mfa_harness import (
    ACR_MFA,
    ACR_PASSWORD,
    CONFIRM,
    ENROL,
    PROBLEMS,
    Clock,
    enrol,
    first_step,
    second_step,
    wrong,
)
from sqlalchemy import select

from portal_chassis.testing.tokens import claims_of
from portal_identity.mfa.models import MfaChallenge, RecoveryCode, TotpFactor
from portal_identity.module import module
from portal_identity.sessions.models import LoginAudit, RefreshToken

pytestmark = pytest.mark.integration


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock.install(monkeypatch)


IdentityWith = Callable[..., Awaitable[Identity]]


@pytest.fixture
async def identity_with(pg_databases, migrated_templates) -> AsyncIterator[IdentityWith]:
    """Identity on its own database, with some settings of the test's."""
    async with AsyncExitStack() as stack:

        async def start(**changes: Any) -> Identity:
            url = await pg_databases.create("identity", template=migrated_templates["identity"])
            app = module.create_app(identity_settings(url).model_copy(update=changes))
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
            client = await stack.enter_async_context(
                httpx.AsyncClient(transport=transport, base_url="http://identity")
            )
            return Identity(app, client)

        yield start


async def customer(identity: Identity, username: str) -> dict[str, Any]:
    org = await identity.organization(f"Org of {username}")
    return await identity.user(username, roles=["customer"], organization_id=org["id"])


async def outcomes(identity: Identity, username: str) -> Counter[str]:
    async with identity.runtime.session_factory() as s:
        return Counter(
            await s.scalars(select(LoginAudit.outcome).where(LoginAudit.username == username))
        )


async def test_enrolment_needs_the_password_and_then_a_code_from_the_app(
    identity_with: IdentityWith, clock: Clock
) -> None:
    identity = await identity_with(mfa_secret_keys="new-key, old-key")
    await customer(identity, "anna")
    headers = await identity.auth("anna")
    r = await identity.client.post(ENROL, json={"password": "not-the-password"}, headers=headers)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["password"]
    r = await identity.client.post(ENROL, json={}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    assert (await identity.client.post(ENROL, json={"password": PASSWORD})).status_code == 401

    r = await identity.client.post(ENROL, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["otpauth_uri"].startswith("otpauth://totp/portal.test:anna?")
    assert f"secret={body['secret']}" in body["otpauth_uri"]
    assert body["qr_svg"].startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    # Not on before a code confirms it: the password alone still signs in.
    state = await identity.client.get("/api/v1/me/mfa", headers=headers)
    assert state.json() == {
        "totp": False,
        "enrolled_at": None,
        "recovery_codes_left": 0,
        "passkeys": 0,
        "required": False,
    }
    assert (await identity.login("anna")).status_code == 200

    totp = pyotp.TOTP(body["secret"])
    r = await identity.client.post(
        CONFIRM, json={"code": totp.at(clock.now + 120)}, headers=headers
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "code"
    r = await identity.client.post(CONFIRM, json={"code": totp.at(clock.now)}, headers=headers)
    assert r.status_code == 200, r.text
    codes = r.json()["recovery_codes"]
    assert len(codes) == len(set(codes)) == 10
    assert all(len(c) == 19 and c.count("-") == 3 for c in codes)

    state = (await identity.client.get("/api/v1/me/mfa", headers=headers)).json()
    assert state["totp"] is True and state["enrolled_at"] is not None
    assert state["recovery_codes_left"] == 10
    # Once on, neither a second confirmation nor a new enrolment.
    r = await identity.client.post(CONFIRM, json={"code": totp.at(clock.now)}, headers=headers)
    assert r.status_code == 409
    r = await identity.client.post(ENROL, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 409
    assert (await outcomes(identity, "anna"))["mfa_enabled"] == 1
    # The secret is stored encrypted, and opened again to check the codes.
    async with identity.runtime.session_factory() as s:
        stored = await s.scalar(select(TotpFactor.secret))
    assert stored is not None and stored.startswith("v1:") and body["secret"] not in stored
    clock.step()
    r = await second_step(identity, await first_step(identity, "anna"), totp.at(clock.now))
    assert r.status_code == 200, r.text


async def test_a_sign_in_takes_two_steps_and_answers_like_a_password_sign_in(
    identity: Identity, clock: Clock
) -> None:
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")

    r = await identity.login("anna", remember_me=True)
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == PROBLEMS + "mfa-required"
    assert problem["methods"] == ["totp", "recovery"] and problem["mfa_token"]
    assert "access_token" not in problem

    r = await second_step(identity, problem["mfa_token"], totp.at(clock.now))
    assert r.status_code == 200, r.text
    body = r.json()
    assert sorted(body) == ["access_token", "expires_in", "refresh_token", "token_type"]
    token = claims_of(body["access_token"])
    assert token["amr"] == ["pwd", "otp"] and token["acr"] == ACR_MFA
    assert "mfa_setup_due" not in token
    me = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200
    async with identity.runtime.session_factory() as s:
        row = await s.scalar(
            select(RefreshToken)
            .where(RefreshToken.user_id == me.json()["id"])
            .order_by(RefreshToken.created_at.desc())
            .limit(1)
        )
    assert row is not None and row.remember_me is True and row.amr == ["pwd", "otp"]

    # The mfa_token is single use.
    clock.step()
    r = await second_step(identity, problem["mfa_token"], totp.at(clock.now))
    assert r.status_code == 401 and r.json()["type"] == PROBLEMS + "mfa-token-invalid"
    r = await second_step(identity, "no-such-token", totp.at(clock.now))
    assert r.status_code == 401 and r.json()["type"] == PROBLEMS + "mfa-token-invalid"

    # The refreshed sign-in keeps its two factors.
    r = await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": body["refresh_token"]}
    )
    assert r.status_code == 200, r.text
    renewed = claims_of(r.json()["access_token"])
    assert renewed["amr"] == ["pwd", "otp"] and renewed["acr"] == ACR_MFA
    assert (await outcomes(identity, "anna"))["mfa_required"] == 1


async def test_a_password_sign_in_says_one_factor(identity: Identity) -> None:
    await customer(identity, "anna")
    token = claims_of((await identity.login("anna")).json()["access_token"])
    assert token["amr"] == ["pwd"] and token["acr"] == ACR_PASSWORD
    assert "mfa_setup_due" not in token


async def test_a_wrong_code_keeps_the_token_and_a_used_code_never_works_again(
    identity: Identity, clock: Clock
) -> None:
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    mfa_token = await first_step(identity, "anna")
    code = totp.at(clock.now)
    refused = await second_step(identity, mfa_token, wrong(code))
    assert refused.status_code == 401 and refused.json()["type"] == PROBLEMS + "invalid-code"
    assert (await second_step(identity, mfa_token, code)).status_code == 200

    # The same code again, in a new sign-in within its step: a replay.
    replay = await second_step(identity, await first_step(identity, "anna"), code)
    assert replay.status_code == 401 and replay.json()["type"] == PROBLEMS + "invalid-code"
    # An older step's code neither, although it is within the window.
    older = await second_step(identity, await first_step(identity, "anna"), totp.at(clock.now - 30))
    assert older.status_code == 401
    clock.step()
    fresh = await second_step(identity, await first_step(identity, "anna"), totp.at(clock.now))
    assert fresh.status_code == 200, fresh.text
    counted = await outcomes(identity, "anna")
    assert counted["mfa_failure"] == 3 and counted["success"] == 3


async def test_codes_one_step_off_are_accepted_two_steps_off_are_not(
    identity: Identity, clock: Clock
) -> None:
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    clock.step(10)
    mfa_token = await first_step(identity, "anna")
    for off in (60, -60):  # the app's clock a minute ahead or behind
        r = await second_step(identity, mfa_token, totp.at(clock.now + off))
        assert r.status_code == 401 and r.json()["type"] == PROBLEMS + "invalid-code"
    # 30 seconds behind, then ahead (each step newer than the last one used).
    behind = await second_step(identity, mfa_token, totp.at(clock.now - 30))
    assert behind.status_code == 200, behind.text
    ahead = await second_step(identity, await first_step(identity, "anna"), totp.at(clock.now + 30))
    assert ahead.status_code == 200, ahead.text


async def test_a_recovery_code_signs_in_once(identity: Identity, clock: Clock) -> None:
    await customer(identity, "anna")
    _, codes = await enrol(identity, clock, "anna")
    # As people type it: upper case, without the hyphens.
    typed = codes[0].upper().replace("-", "")
    r = await second_step(identity, await first_step(identity, "anna"), typed)
    assert r.status_code == 200, r.text
    token = claims_of(r.json()["access_token"])
    assert token["amr"] == ["pwd", "otp"] and token["acr"] == ACR_MFA
    again = await second_step(identity, await first_step(identity, "anna"), codes[0])
    assert again.status_code == 401 and again.json()["type"] == PROBLEMS + "invalid-code"
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    state = (await identity.client.get("/api/v1/me/mfa", headers=headers)).json()
    assert state["recovery_codes_left"] == 9
    async with identity.runtime.session_factory() as s:
        digests = list(await s.scalars(select(RecoveryCode.code_hash)))
    assert not any(c.replace("-", "") in d for c in codes for d in digests)


async def test_wrong_codes_are_throttled_with_the_passwords(
    identity: Identity, clock: Clock
) -> None:
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    office = {"X-Forwarded-For": "198.51.100.30"}

    async def password_step() -> httpx.Response:
        return await identity.client.post(
            "/api/v1/auth/login", json={"username": "anna", "password": PASSWORD}, headers=office
        )

    right = totp.at(clock.now)
    # Wrong codes add up over sign-ins: a right password gives back only its own attempt.
    first = (await password_step()).json()["mfa_token"]
    answers = [await second_step(identity, first, wrong(right), office) for _ in range(2)]
    second = (await password_step()).json()["mfa_token"]
    answers += [await second_step(identity, second, wrong(right), office) for _ in range(3)]
    assert [a.json()["type"] for a in answers] == [PROBLEMS + "invalid-code"] * 5
    # The account's five are used up: the next attempt, even with the right password or
    # code, waits for the window to end.
    blocked = await password_step()
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0
    blocked = await second_step(identity, second, right, office)
    assert blocked.status_code == 429
    assert blocked.json()["type"] == PROBLEMS + "too-many-requests"
    counted = await outcomes(identity, "anna")
    assert counted["mfa_failure"] == 5 and counted["throttled"] == 2


async def test_an_mfa_token_is_void_after_five_wrong_codes(
    identity_with: IdentityWith, clock: Clock
) -> None:
    # A throttle that lets more wrong codes through than one mfa_token takes.
    identity = await identity_with(login_failures_per_account=50)
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    mfa_token = await first_step(identity, "anna")
    right = totp.at(clock.now)
    for _ in range(5):
        r = await second_step(identity, mfa_token, wrong(right))
        assert r.json()["type"] == PROBLEMS + "invalid-code"
    r = await second_step(identity, mfa_token, right)
    assert r.status_code == 401 and r.json()["type"] == PROBLEMS + "mfa-token-invalid"
    r = await second_step(identity, await first_step(identity, "anna"), right)
    assert r.status_code == 200


async def test_an_expired_mfa_token_is_refused(identity: Identity, clock: Clock) -> None:
    await customer(identity, "anna")
    totp, _ = await enrol(identity, clock, "anna")
    mfa_token = await first_step(identity, "anna")
    async with identity.runtime.session_factory() as s:
        row = await s.scalar(select(MfaChallenge))
        assert row is not None
        row.expires_at = row.created_at  # five minutes later
        await s.commit()
    r = await second_step(identity, mfa_token, totp.at(clock.now))
    assert r.status_code == 401 and r.json()["type"] == PROBLEMS + "mfa-token-invalid"


async def test_the_policy_marks_tokens_of_roles_that_need_a_factor(
    identity: Identity, clock: Clock
) -> None:
    admin = await identity.admin()
    await identity.user("dora", roles=["agent"])
    await customer(identity, "anna")
    policy = await identity.client.get("/api/v1/admin/mfa-policy", headers=admin)
    assert policy.json() == {"required_roles": []}
    r = await identity.client.put(
        "/api/v1/admin/mfa-policy", json={"required_roles": ["agent", "wizard"]}, headers=admin
    )
    assert r.status_code == 422
    r = await identity.client.put(
        "/api/v1/admin/mfa-policy", json={"required_roles": ["agent", "agent"]}, headers=admin
    )
    assert r.status_code == 200 and r.json() == {"required_roles": ["agent"]}
    for outsider in (await identity.auth("dora"), await identity.auth("anna")):
        r = await identity.client.put(
            "/api/v1/admin/mfa-policy", json={"required_roles": []}, headers=outsider
        )
        assert r.status_code == 404

    signed_in = (await identity.login("dora")).json()
    assert claims_of(signed_in["access_token"])["mfa_setup_due"] is True
    assert "mfa_setup_due" not in claims_of((await identity.login("anna")).json()["access_token"])
    headers = {"Authorization": f"Bearer {signed_in['access_token']}"}
    # The API answers as usual; the pages lead to the enrolment.
    state = await identity.client.get("/api/v1/me/mfa", headers=headers)
    assert state.status_code == 200 and state.json()["required"] is True

    await enrol(identity, clock, "dora")
    r = await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": signed_in["refresh_token"]}
    )
    assert r.status_code == 200, r.text
    renewed = claims_of(r.json()["access_token"])
    assert "mfa_setup_due" not in renewed
    assert renewed["amr"] == ["pwd"]  # the sign-in was made with one factor


async def test_an_admin_resets_a_lost_factor(identity: Identity, clock: Clock) -> None:
    user = await customer(identity, "anna")
    await enrol(identity, clock, "anna")
    r = await identity.client.post(f"/api/v1/admin/users/{user['id']}/mfa/reset")
    assert r.status_code == 401
    await identity.user("dora", roles=["agent"])
    r = await identity.client.post(
        f"/api/v1/admin/users/{user['id']}/mfa/reset", headers=await identity.auth("dora")
    )
    assert r.status_code == 404  # only admins

    admin = await identity.admin()
    r = await identity.client.post(
        "/api/v1/admin/users/00000000-0000-0000-0000-000000000000/mfa/reset", headers=admin
    )
    assert r.status_code == 404
    r = await identity.client.post(f"/api/v1/admin/users/{user['id']}/mfa/reset", headers=admin)
    assert r.status_code == 204
    token = claims_of((await identity.login("anna")).json()["access_token"])
    assert token["amr"] == ["pwd"]
    [event] = await identity.events("identity.user.mfa_reset")
    admin_id = claims_of(admin["Authorization"].removeprefix("Bearer "))["sub"]
    assert event["data"] == {
        "user_id": user["id"],
        "username": "anna",
        "email": "anna@example.com",
        "display_name": "anna",
        "language": "en",
        "actor_id": admin_id,
    }
    async with identity.runtime.session_factory() as s:
        assert await s.scalar(select(RecoveryCode)) is None
    assert (await outcomes(identity, "anna"))["mfa_reset"] == 1
    # Nothing left to reset: no second event.
    r = await identity.client.post(f"/api/v1/admin/users/{user['id']}/mfa/reset", headers=admin)
    assert r.status_code == 204
    assert len(await identity.events("identity.user.mfa_reset")) == 1


async def test_turning_it_off_needs_the_password(identity: Identity, clock: Clock) -> None:
    await customer(identity, "anna")
    totp, codes = await enrol(identity, clock, "anna")
    r = await second_step(identity, await first_step(identity, "anna"), totp.at(clock.now))
    headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
    off = "/api/v1/me/mfa/totp/disable"
    r = await identity.client.post(off, json={"password": "not-the-password"}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    r = await identity.client.post(off, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 204
    state = (await identity.client.get("/api/v1/me/mfa", headers=headers)).json()
    assert state == {
        "totp": False,
        "enrolled_at": None,
        "recovery_codes_left": 0,
        "passkeys": 0,
        "required": False,
    }
    assert (await identity.login("anna")).status_code == 200
    async with identity.runtime.session_factory() as s:
        assert await s.scalar(select(RecoveryCode)) is None
    assert (await outcomes(identity, "anna"))["mfa_disabled"] == 1
    assert codes  # and none of them works any more: there is no second step to use them in


async def test_new_recovery_codes_void_the_old_ones(identity: Identity, clock: Clock) -> None:
    await customer(identity, "anna")
    headers = await identity.auth("anna")
    fresh = "/api/v1/me/mfa/recovery-codes"
    r = await identity.client.post(fresh, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 409  # no factor, no codes
    _, old = await enrol(identity, clock, "anna")
    r = await identity.client.post(fresh, json={"password": "not-the-password"}, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    r = await identity.client.post(fresh, json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 200
    new = r.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    refused = await second_step(identity, await first_step(identity, "anna"), old[1])
    assert refused.status_code == 401
    assert (
        await second_step(identity, await first_step(identity, "anna"), new[1])
    ).status_code == 200


async def test_parallel_uses_of_one_code_let_exactly_one_sign_in(
    identity: Identity, clock: Clock
) -> None:
    await customer(identity, "anna")
    totp, codes = await enrol(identity, clock, "anna")

    async def race(code: str, tokens: list[str]) -> list[int]:
        answers = await asyncio.gather(*(second_step(identity, t, code) for t in tokens))
        return sorted(a.status_code for a in answers)

    # One TOTP code, two sign-ins waiting for it.
    tokens = [await first_step(identity, "anna") for _ in range(2)]
    assert await race(totp.at(clock.now), tokens) == [200, 401]
    # One recovery code, likewise.
    tokens = [await first_step(identity, "anna") for _ in range(2)]
    assert await race(codes[0], tokens) == [200, 401]
    # One mfa_token, two right codes at once: one sign-in only.
    clock.step()
    mfa_token = await first_step(identity, "anna")
    answers = await asyncio.gather(
        second_step(identity, mfa_token, totp.at(clock.now)),
        second_step(identity, mfa_token, codes[1]),
    )
    assert sorted(a.status_code for a in answers) == [200, 401]


async def test_the_operator_resets_a_factor_from_the_command_line(
    identity: Identity, clock: Clock
) -> None:
    user = await customer(identity, "anna")
    await enrol(identity, clock, "anna")
    env = {**os.environ, "IDENTITY_DATABASE_URL": identity.runtime.database_url}

    async def portal(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "portal_ops.cli", "identity", "reset-mfa", *args]
        return await asyncio.to_thread(
            subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
        )

    done = await portal("anna")
    assert done.returncode == 0, done.stderr
    assert "anna: second factor, recovery codes and passkeys removed" in done.stdout
    assert (await identity.login("anna")).status_code == 200
    [event] = await identity.events("identity.user.mfa_reset")
    assert event["data"]["user_id"] == user["id"] and event["data"]["actor_id"] is None
    again = await portal("anna")
    assert again.returncode == 0 and "nothing changed" in again.stdout
    unknown = await portal("nobody")
    assert unknown.returncode != 0 and "No user nobody." in unknown.stderr
