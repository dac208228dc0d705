"""Passkeys (WebAuthn) through the identity API, answered by a software authenticator:
adding one with the current password, signing in with it alone, using it as the second
step after the password, and the refusals: a replayed, expired or foreign challenge, a
wrong origin, another user's passkey, a counter that went back, a deactivated account,
no user verification; removing one; the role policy and an admin's reset; the OpenID
Connect sign-in page, which takes codes only, does not let the password alone pass."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pyotp
import pytest
from identity_harness import PASSWORD, Identity
from mfa_harness import ACR_MFA, PROBLEMS, first_step
from mfa_harness import Clock as TotpClock
from oauth_harness import OAuth, pkce
from passkey_harness import SoftAuthenticator, b64url
from sqlalchemy import select, update

from portal_chassis.testing.tokens import claims_of
from portal_identity.mfa.models import Passkey, PasskeyChallenge
from portal_identity.sessions.models import LoginAudit, RefreshToken

pytestmark = pytest.mark.integration

OPTIONS = "/api/v1/me/passkeys/options"
PASSKEYS = "/api/v1/me/passkeys"
SIGN_IN_OPTIONS = "/api/v1/auth/passkey/options"
SIGN_IN = "/api/v1/auth/passkey"
SECOND_OPTIONS = "/api/v1/auth/login/mfa/passkey-options"
SECOND_STEP = "/api/v1/auth/login/mfa"


async def customer(identity: Identity, username: str) -> dict[str, str]:
    """A customer with the password, and their headers (taken before any factor)."""
    org = await identity.organization(f"Org of {username}")
    await identity.user(username, roles=["customer"], organization_id=org["id"])
    return await identity.auth(username)


async def registration(
    identity: Identity, headers: dict[str, str], password: str = PASSWORD
) -> httpx.Response:
    return await identity.client.post(OPTIONS, json={"password": password}, headers=headers)


async def add_passkey(
    identity: Identity, headers: dict[str, str], device: SoftAuthenticator, name: str = "Laptop"
) -> dict[str, Any]:
    r = await registration(identity, headers)
    assert r.status_code == 200, r.text
    body = {
        "challenge_id": r.json()["challenge_id"],
        "name": name,
        "credential": device.create(r.json()["options"]),
    }
    r = await identity.client.post(PASSKEYS, json=body, headers=headers)
    assert r.status_code == 201, r.text
    added: dict[str, Any] = r.json()
    return added


async def sign_in_options(identity: Identity) -> dict[str, Any]:
    r = await identity.client.post(SIGN_IN_OPTIONS)
    assert r.status_code == 200, r.text
    options: dict[str, Any] = r.json()
    return options


async def passkey_sign_in(
    identity: Identity, device: SoftAuthenticator, remember_me: bool = False, **answer: Any
) -> httpx.Response:
    offer = await sign_in_options(identity)
    credential = device.get(offer["options"], **answer)
    body = {"challenge_id": offer["challenge_id"], "credential": credential}
    return await identity.client.post(SIGN_IN, json={**body, "remember_me": remember_me})


async def outcomes(identity: Identity, username: str) -> Counter[str]:
    async with identity.runtime.session_factory() as s:
        return Counter(
            await s.scalars(select(LoginAudit.outcome).where(LoginAudit.username == username))
        )


def problem(r: httpx.Response, status: int, slug: str) -> None:
    assert r.status_code == status, r.text
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.json()["type"] == PROBLEMS + slug


async def test_a_passkey_is_added_with_the_current_password_and_listed(
    identity: Identity,
) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    r = await registration(identity, headers, "not-the-password")
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    assert (await identity.client.post(OPTIONS, json={"password": PASSWORD})).status_code == 401

    r = await registration(identity, headers)
    assert r.status_code == 200, r.text
    options = r.json()["options"]
    assert options["rp"] == {"name": "Customer Portal", "id": "portal.test"}
    assert options["user"]["name"] == "anna"
    assert options["authenticatorSelection"]["residentKey"] == "required"
    assert options["authenticatorSelection"]["userVerification"] == "preferred"
    assert options["attestation"] == "none" and options["excludeCredentials"] == []
    assert options["timeout"] == 300_000
    body = {"challenge_id": r.json()["challenge_id"], "name": "  Laptop  "}
    r = await identity.client.post(
        PASSKEYS, json={**body, "credential": device.create(options)}, headers=headers
    )
    assert r.status_code == 201, r.text
    laptop = r.json()
    assert laptop["name"] == "Laptop" and laptop["last_used_at"] is None
    assert set(laptop) == {"id", "name", "created_at", "last_used_at"}

    # A second one: the first is excluded, so the same authenticator cannot add it twice.
    r = await registration(identity, headers)
    [excluded] = r.json()["options"]["excludeCredentials"]
    assert excluded["id"] == b64url(device.credentials[0].id)
    await add_passkey(identity, headers, SoftAuthenticator(), name="Phone")

    r = await identity.client.get(PASSKEYS, headers=headers)
    assert r.status_code == 200
    assert [p["name"] for p in r.json()["items"]] == ["Laptop", "Phone"]
    assert r.json()["next_cursor"] is None
    state = (await identity.client.get("/api/v1/me/mfa", headers=headers)).json()
    assert state["passkeys"] == 2 and state["totp"] is False
    assert (await outcomes(identity, "anna"))["passkey_added"] == 2
    async with identity.runtime.session_factory() as s:
        stored = (await s.scalars(select(Passkey).order_by(Passkey.created_at))).first()
        assert stored is not None and stored.transports == ["internal"]


async def test_a_challenge_works_once_for_its_purpose_and_user_within_five_minutes(
    identity: Identity,
) -> None:
    anna = await customer(identity, "anna")
    ben = await customer(identity, "ben")
    device = SoftAuthenticator()
    r = await registration(identity, anna)
    challenge_id, options = r.json()["challenge_id"], r.json()["options"]
    # Made for Anna: Ben cannot use it, and it is no sign-in's challenge either.
    body = {"challenge_id": challenge_id, "name": "Key", "credential": device.create(options)}
    problem(
        await identity.client.post(PASSKEYS, json=body, headers=ben),
        400,
        "passkey-challenge-invalid",
    )
    assert (await identity.client.post(PASSKEYS, json=body, headers=anna)).status_code == 201
    # Replayed: used up.
    body["credential"] = SoftAuthenticator().create(options)
    problem(
        await identity.client.post(PASSKEYS, json=body, headers=anna),
        400,
        "passkey-challenge-invalid",
    )
    # A sign-in's challenge after its five minutes.
    offer = await sign_in_options(identity)
    async with identity.runtime.session_factory() as s:
        await s.execute(
            update(PasskeyChallenge).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await s.commit()
    answer = {"challenge_id": offer["challenge_id"], "credential": device.get(offer["options"])}
    problem(await identity.client.post(SIGN_IN, json=answer), 400, "passkey-challenge-invalid")
    # A sign-in answered and replayed.
    assert (await passkey_sign_in(identity, device)).status_code == 200
    offer = await sign_in_options(identity)
    answer = {"challenge_id": offer["challenge_id"], "credential": device.get(offer["options"])}
    assert (await identity.client.post(SIGN_IN, json=answer)).status_code == 200
    answer["credential"] = device.get(offer["options"])  # even with a fresh signature
    problem(await identity.client.post(SIGN_IN, json=answer), 400, "passkey-challenge-invalid")


async def test_a_passkey_signs_in_without_password(identity: Identity) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    laptop = await add_passkey(identity, headers, device)

    offer = await sign_in_options(identity)
    assert offer["options"]["rpId"] == "portal.test"
    assert offer["options"]["allowCredentials"] == []  # any passkey of this portal
    assert offer["options"]["userVerification"] == "required"
    r = await passkey_sign_in(identity, device, remember_me=True)
    assert r.status_code == 200, r.text
    token = claims_of(r.json()["access_token"])
    assert token["username"] == "anna"
    assert token["amr"] == ["hwk", "user"] and token["acr"] == ACR_MFA
    assert "mfa_setup_due" not in token
    async with identity.runtime.session_factory() as s:
        row = await s.scalar(select(RefreshToken).where(RefreshToken.family_id == token["sid"]))
        assert row is not None and row.remember_me is True and row.amr == ["hwk", "user"]
    # A refresh keeps how the sign-in was made.
    renewed = await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": r.json()["refresh_token"]}
    )
    assert claims_of(renewed.json()["access_token"])["amr"] == ["hwk", "user"]
    listed = (await identity.client.get(PASSKEYS, headers=headers)).json()["items"]
    assert listed[0]["id"] == laptop["id"] and listed[0]["last_used_at"] is not None
    assert (await outcomes(identity, "anna"))["passkey_success"] == 1


async def test_without_user_verification_or_from_another_origin_it_is_refused(
    identity: Identity,
) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    # Created on another site: its answer names that origin.
    r = await registration(identity, headers)
    body = {
        "challenge_id": r.json()["challenge_id"],
        "name": "Key",
        "credential": device.create(r.json()["options"], origin="https://evil.test"),
    }
    r = await identity.client.post(PASSKEYS, json=body, headers=headers)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "credential"
    assert r.json()["errors"][0]["code"] == "passkey_invalid"

    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    problem(
        await passkey_sign_in(identity, device, origin="https://evil.test"), 401, "passkey-invalid"
    )
    problem(await passkey_sign_in(identity, device, verified=False), 401, "passkey-invalid")
    assert (await passkey_sign_in(identity, device)).status_code == 200
    assert (await outcomes(identity, "anna"))["passkey_failure"] == 2


async def test_another_users_passkey_is_refused(identity: Identity) -> None:
    anna = await customer(identity, "anna")
    ben = await customer(identity, "ben")
    annas, bens = SoftAuthenticator(), SoftAuthenticator()
    await add_passkey(identity, anna, annas)
    await add_passkey(identity, ben, bens)

    # Ben's passkey claiming to be Anna's account: the user handle does not match.
    anna_handle = annas.credentials[0].user_handle
    problem(await passkey_sign_in(identity, bens, user_handle=anna_handle), 401, "passkey-invalid")
    # Anna's second step answered with Ben's passkey: refused, the step stays usable.
    mfa_token = await first_step(identity, "anna")
    r = await identity.client.post(SECOND_OPTIONS, json={"mfa_token": mfa_token})
    offer = r.json()
    credential = bens.get(offer["options"], credential=bens.credentials[0])
    body = {"mfa_token": mfa_token, "challenge_id": offer["challenge_id"], "credential": credential}
    problem(await identity.client.post(SECOND_STEP, json=body), 401, "passkey-invalid")
    offer = (await identity.client.post(SECOND_OPTIONS, json={"mfa_token": mfa_token})).json()
    body = {
        "mfa_token": mfa_token,
        "challenge_id": offer["challenge_id"],
        "credential": annas.get(offer["options"]),
    }
    r = await identity.client.post(SECOND_STEP, json=body)
    assert r.status_code == 200, r.text
    assert claims_of(r.json()["access_token"])["username"] == "anna"


async def test_a_passkey_is_the_second_step_after_the_password(
    identity: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    r = await identity.login("anna", remember_me=True)
    problem(r, 401, "mfa-required")
    assert r.json()["factors"] == ["passkey"] and r.json()["methods"] == ["passkey"]
    mfa_token = r.json()["mfa_token"]

    problem(
        await identity.client.post(SECOND_OPTIONS, json={"mfa_token": "made-up"}),
        401,
        "mfa-token-invalid",
    )
    r = await identity.client.post(SECOND_OPTIONS, json={"mfa_token": mfa_token})
    assert r.status_code == 200, r.text
    offer = r.json()
    [allowed] = offer["options"]["allowCredentials"]
    assert allowed["type"] == "public-key" and allowed["transports"] == ["internal"]
    # Either a code or a passkey's answer, not both, not half of one.
    answer = device.get(offer["options"])
    for wrong in (
        {"mfa_token": mfa_token},
        {"mfa_token": mfa_token, "challenge_id": offer["challenge_id"]},
        {"mfa_token": mfa_token, "code": "123456", "challenge_id": offer["challenge_id"]},
    ):
        assert (await identity.client.post(SECOND_STEP, json=wrong)).status_code == 422
    body = {"mfa_token": mfa_token, "challenge_id": offer["challenge_id"], "credential": answer}
    r = await identity.client.post(SECOND_STEP, json=body)
    assert r.status_code == 200, r.text
    token = claims_of(r.json()["access_token"])
    assert token["amr"] == ["pwd", "hwk"] and token["acr"] == ACR_MFA
    # The step is done: its token does not start another.
    problem(
        await identity.client.post(SECOND_OPTIONS, json={"mfa_token": mfa_token}),
        401,
        "mfa-token-invalid",
    )

    # With the app too, both are offered.
    clock = TotpClock.install(monkeypatch)
    ben = await customer(identity, "ben")
    await add_passkey(identity, ben, SoftAuthenticator())
    await enrol_app(identity, clock, ben)
    r = await identity.login("ben")
    assert r.json()["factors"] == ["totp", "passkey"]
    assert r.json()["methods"] == ["totp", "recovery", "passkey"]


async def enrol_app(identity: Identity, clock: TotpClock, headers: dict[str, str]) -> None:
    r = await identity.client.post(
        "/api/v1/me/mfa/totp", json={"password": PASSWORD}, headers=headers
    )
    code = pyotp.TOTP(r.json()["secret"]).at(clock.now)
    r = await identity.client.post(
        "/api/v1/me/mfa/totp/confirm", json={"code": code}, headers=headers
    )
    assert r.status_code == 200, r.text


async def test_a_counter_that_goes_back_is_refused_as_a_copied_key(identity: Identity) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    assert (await passkey_sign_in(identity, device, count=5)).status_code == 200
    problem(await passkey_sign_in(identity, device, count=5), 401, "passkey-cloned")
    problem(await passkey_sign_in(identity, device, count=3), 401, "passkey-cloned")
    assert (await passkey_sign_in(identity, device, count=6)).status_code == 200
    async with identity.runtime.session_factory() as s:
        assert await s.scalar(select(Passkey.sign_count)) == 6


async def test_an_authenticator_without_a_counter_keeps_zero(identity: Identity) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    for _ in range(2):
        assert (await passkey_sign_in(identity, device, count=0)).status_code == 200


async def test_a_deactivated_user_is_refused(identity: Identity) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    me = (await identity.client.get("/api/v1/me", headers=headers)).json()
    r = await identity.client.patch(
        f"/api/v1/admin/users/{me['id']}", json={"active": False}, headers=await identity.admin()
    )
    assert r.status_code == 200, r.text
    problem(await passkey_sign_in(identity, device), 401, "passkey-invalid")
    assert (await outcomes(identity, "anna"))["passkey_failure"] == 1


async def test_failed_passkey_sign_ins_are_throttled_like_passwords(identity: Identity) -> None:
    headers = await customer(identity, "anna")
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    for _ in range(5):
        problem(await passkey_sign_in(identity, device, verified=False), 401, "passkey-invalid")
    r = await passkey_sign_in(identity, device)
    problem(r, 429, "too-many-requests")
    assert int(r.headers["Retry-After"]) > 0
    # The account's count is the password's too.
    assert (await identity.login("anna")).status_code == 429
    # A passkey nobody has counts against the address alone.
    stranger = SoftAuthenticator()
    stranger.create({"rp": {"id": "portal.test"}, "user": {"id": "AAAA"}, "challenge": "AAAA"})
    problem(await passkey_sign_in(identity, stranger), 401, "passkey-invalid")
    assert (await outcomes(identity, ""))["passkey_failure"] == 1


async def test_removing_a_passkey_needs_the_password_and_only_the_own(identity: Identity) -> None:
    anna = await customer(identity, "anna")
    ben = await customer(identity, "ben")
    device = SoftAuthenticator()
    laptop = await add_passkey(identity, anna, device)
    path = f"{PASSKEYS}/{laptop['id']}"

    r = await identity.client.request("DELETE", path, json={"password": PASSWORD}, headers=ben)
    problem(r, 404, "not-found")
    r = await identity.client.request("DELETE", path, json={"password": "wrong-one"}, headers=anna)
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "password"
    r = await identity.client.request("DELETE", path, json={"password": PASSWORD}, headers=anna)
    assert r.status_code == 204
    assert (await identity.client.get(PASSKEYS, headers=anna)).json()["items"] == []
    r = await identity.client.request("DELETE", path, json={"password": PASSWORD}, headers=anna)
    problem(r, 404, "not-found")
    # Gone: it signs in no more, and the password alone does again.
    problem(await passkey_sign_in(identity, device), 401, "passkey-invalid")
    assert (await identity.login("anna")).status_code == 200
    assert (await outcomes(identity, "anna"))["passkey_removed"] == 1


async def test_a_passkey_satisfies_the_role_policy_and_an_admin_reset_removes_it(
    identity: Identity,
) -> None:
    admin = await identity.admin()
    r = await identity.client.put(
        "/api/v1/admin/mfa-policy", json={"required_roles": ["customer"]}, headers=admin
    )
    assert r.status_code == 200, r.text
    headers = await customer(identity, "anna")
    assert claims_of(headers["Authorization"].split()[1])["mfa_setup_due"] is True
    device = SoftAuthenticator()
    await add_passkey(identity, headers, device)
    r = await passkey_sign_in(identity, device)
    assert "mfa_setup_due" not in claims_of(r.json()["access_token"])

    anna_id = claims_of(r.json()["access_token"])["sub"]
    r = await identity.client.post(f"/api/v1/admin/users/{anna_id}/mfa/reset", headers=admin)
    assert r.status_code == 204
    [event] = await identity.events("identity.user.mfa_reset")
    assert event["data"]["username"] == "anna"
    problem(await passkey_sign_in(identity, device), 401, "passkey-invalid")
    signed_in = await identity.login("anna")
    assert signed_in.status_code == 200
    assert claims_of(signed_in.json()["access_token"])["mfa_setup_due"] is True


async def test_the_openid_sign_in_page_does_not_let_the_password_alone_pass(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    headers = await customer(identity, "anna")
    await add_passkey(identity, headers, SoftAuthenticator())
    _, challenge = pkce()
    page = await oauth.sign_in(oauth.params(client, challenge), "anna")
    assert page.status_code == 401 and "location" not in page.headers
    assert "second factor is a passkey, which this page cannot use" in page.text
    assert (await outcomes(identity, "anna"))["mfa_required"] == 1
