"""Sign-in, refresh-token rotation, sign-out, throttling and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from identity_harness import PASSWORD, Identity
from sqlalchemy import select

from portal_identity.sessions.models import LoginAudit, RefreshToken

pytestmark = pytest.mark.integration


async def _customer(identity: Identity, username: str = "anna") -> dict:
    org = await identity.organization(f"Org of {username}")
    return await identity.user(username, roles=["customer"], organization_id=org["id"])


async def test_login_gives_a_bearer_pair_and_me_shows_the_roles(identity: Identity) -> None:
    r = await identity.login("admin", "bootstrap-admin-secret-1")
    assert r.status_code == 200
    body = r.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 900
    me = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.json()["roles"] == ["admin"] and me.json()["organization"] is None


async def test_unknown_user_and_wrong_password_get_the_same_answer(identity: Identity) -> None:
    await _customer(identity)
    wrong = await identity.login("anna", "not-the-password")
    unknown = await identity.login("nobody", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    strip = {"request_id", "instance"}
    assert {k: v for k, v in wrong.json().items() if k not in strip} == {
        k: v for k, v in unknown.json().items() if k not in strip
    }


async def test_usernames_are_case_sensitive(identity: Identity) -> None:
    await _customer(identity, "Anna")
    assert (await identity.login("Anna")).status_code == 200
    assert (await identity.login("anna")).status_code == 401


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"username": "an na", "password": "x"}, "username", "can only contain letters or numbers"),
        (
            {"username": "anna.b", "password": "x"},
            "username",
            "can only contain letters or numbers",
        ),
        ({"username": "anna"}, "password", "Password is a required field."),
        ({"username": "anna", "password": ""}, "password", "Password is a required field."),
    ],
)
async def test_malformed_sign_in_names_the_field(
    identity: Identity, body: dict, field: str, message: str
) -> None:
    r = await identity.client.post("/api/v1/auth/login", json=body)
    assert r.status_code == 422
    errors = {e["field"]: e["message"] for e in r.json()["errors"]}
    assert message in errors[field]


async def test_deactivated_user_cannot_sign_in(identity: Identity) -> None:
    user = await _customer(identity)
    await identity.client.patch(
        f"/api/v1/admin/users/{user['id']}", json={"active": False}, headers=await identity.admin()
    )
    assert (await identity.login("anna")).status_code == 401


async def test_account_is_throttled_after_repeated_failures(identity: Identity) -> None:
    await _customer(identity)
    for _ in range(5):
        assert (await identity.login("anna", "wrong-password-1")).status_code == 401
    blocked = await identity.login("anna")  # even the right password now waits
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) > 0
    assert blocked.headers["content-type"] == "application/problem+json"
    async with identity.runtime.session_factory() as s:
        outcomes = list(
            await s.scalars(select(LoginAudit.outcome).where(LoginAudit.username == "anna"))
        )
    assert outcomes.count("failure") == 5 and outcomes.count("throttled") == 1


async def test_client_address_is_throttled_across_accounts(identity: Identity) -> None:
    headers = {"X-Forwarded-For": "203.0.113.7"}
    for i in range(20):
        r = await identity.client.post(
            "/api/v1/auth/login",
            json={"username": f"guess{i}", "password": "wrong-password-1"},
            headers=headers,
        )
        assert r.status_code == 401
    r = await identity.client.post(
        "/api/v1/auth/login", json={"username": "admin", "password": "x"}, headers=headers
    )
    assert r.status_code == 429
    # Another address is not affected.
    assert (await identity.login("admin", "bootstrap-admin-secret-1")).status_code == 200


async def test_success_resets_the_account_failure_count(identity: Identity) -> None:
    await _customer(identity)
    for _ in range(4):
        await identity.login("anna", "wrong-password-1")
    assert (await identity.login("anna")).status_code == 200
    for _ in range(4):
        await identity.login("anna", "wrong-password-1")
    assert (await identity.login("anna")).status_code == 200


async def test_refresh_rotates_and_reuse_revokes_the_whole_family(identity: Identity) -> None:
    await _customer(identity)
    first = (await identity.login("anna")).json()["refresh_token"]
    r = await identity.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert r.status_code == 200
    second = r.json()["refresh_token"]
    assert second != first
    me = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
    )
    assert me.status_code == 200

    reuse = await identity.client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reuse.status_code == 401
    # The thief's (or owner's) newer token dies with the family.
    after = await identity.client.post("/api/v1/auth/refresh", json={"refresh_token": second})
    assert after.status_code == 401


async def test_remember_me_keeps_the_session_for_thirty_days(identity: Identity) -> None:
    await _customer(identity)
    await identity.login("anna", remember_me=True)
    await identity.login("anna")
    async with identity.runtime.session_factory() as s:
        rows = list(await s.scalars(select(RefreshToken).order_by(RefreshToken.created_at)))
    now = datetime.now(UTC)
    long, short = rows[-2].expires_at - now, rows[-1].expires_at - now
    assert timedelta(days=29) < long <= timedelta(days=30)
    assert timedelta(hours=11) < short <= timedelta(hours=12)


async def test_logout_revokes_the_refresh_token(identity: Identity) -> None:
    await _customer(identity)
    token = (await identity.login("anna")).json()["refresh_token"]
    assert (
        await identity.client.post("/api/v1/auth/logout", json={"refresh_token": token})
    ).status_code == 204
    r = await identity.client.post("/api/v1/auth/refresh", json={"refresh_token": token})
    assert r.status_code == 401


async def test_logout_with_only_an_access_token_ends_every_session(identity: Identity) -> None:
    await _customer(identity)
    one = (await identity.login("anna")).json()
    two = (await identity.login("anna")).json()
    headers = {"Authorization": f"Bearer {one['access_token']}"}
    assert (await identity.client.post("/api/v1/auth/logout", headers=headers)).status_code == 204
    for pair in (one, two):
        r = await identity.client.post(
            "/api/v1/auth/refresh", json={"refresh_token": pair["refresh_token"]}
        )
        assert r.status_code == 401


async def test_garbage_refresh_token_is_a_401(identity: Identity) -> None:
    r = await identity.client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"})
    assert r.status_code == 401


async def test_password_is_never_in_the_audit_or_answers(identity: Identity) -> None:
    await _customer(identity)
    r = await identity.login("anna", "my-secret-guess-77")
    assert "my-secret-guess-77" not in r.text
    assert PASSWORD not in (await identity.login("anna")).text
