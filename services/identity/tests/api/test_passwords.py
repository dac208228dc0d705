"""Lost password, first password by invitation, and profile changes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from identity_harness import PASSWORD, PUBLIC_URL, Identity
from sqlalchemy import update

from portal_identity.sessions.models import OneTimeToken

pytestmark = pytest.mark.integration

NEW_PASSWORD = "a-brand-new-secret-42"


def _token(event: dict) -> str:
    return parse_qs(urlsplit(event["data"]["link"]).query)["token"][0]


async def test_forgot_always_answers_202_and_mails_only_real_accounts(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    for username in ("ben", "nobody"):
        r = await identity.client.post("/api/v1/auth/password/forgot", json={"username": username})
        assert r.status_code == 202 and r.content == b""
    events = await identity.events("identity.password_reset.requested")
    assert [e["data"]["username"] for e in events] == ["ben"]
    link = events[0]["data"]["link"]
    assert link.startswith(f"{PUBLIC_URL}/password/reset?token=")
    assert len(_token(events[0])) >= 43  # 256 random bits, URL-safe
    expires = datetime.fromisoformat(events[0]["data"]["expires_at"])
    assert timedelta(minutes=29) < expires - datetime.now(UTC) <= timedelta(minutes=30)


async def test_reset_sets_the_password_once_and_ends_sessions(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    session = (await identity.login("ben")).json()
    await identity.client.post("/api/v1/auth/password/forgot", json={"username": "ben"})
    token = _token((await identity.events("identity.password_reset.requested"))[-1])

    r = await identity.client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert r.status_code == 204
    assert (await identity.login("ben", NEW_PASSWORD)).status_code == 200
    assert (await identity.login("ben", PASSWORD)).status_code == 401
    old = await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": session["refresh_token"]}
    )
    assert old.status_code == 401
    again = await identity.client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": "another-secret-43"}
    )
    assert again.status_code == 422 and again.json()["errors"][0]["field"] == "token"


async def test_expired_reset_link_is_refused(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    await identity.client.post("/api/v1/auth/password/forgot", json={"username": "ben"})
    token = _token((await identity.events("identity.password_reset.requested"))[-1])
    async with identity.runtime.session_factory() as s:
        await s.execute(
            update(OneTimeToken).values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await s.commit()
    r = await identity.client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert r.status_code == 422


async def test_reset_applies_the_password_policy(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    await identity.client.post("/api/v1/auth/password/forgot", json={"username": "ben"})
    token = _token((await identity.events("identity.password_reset.requested"))[-1])
    for weak in ("short", "1234567890", "Ben-is-my-name-1"):
        r = await identity.client.post(
            "/api/v1/auth/password/reset", json={"token": token, "new_password": weak}
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "new_password"
    ok = await identity.client.post(
        "/api/v1/auth/password/reset", json={"token": token, "new_password": NEW_PASSWORD}
    )
    assert ok.status_code == 204  # a refused attempt does not burn the link


async def test_user_created_without_password_is_invited_for_seven_days(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"], password=None)
    assert (await identity.login("ben", "anything-at-all-1")).status_code == 401
    invited = (await identity.events("identity.user.invited"))[-1]
    assert invited["data"]["email"] == "ben@example.com"
    assert invited["data"]["link"].startswith(f"{PUBLIC_URL}/password/first?token=")
    expires = datetime.fromisoformat(invited["data"]["expires_at"])
    assert timedelta(days=6, hours=23) < expires - datetime.now(UTC) <= timedelta(days=7)
    r = await identity.client.post(
        "/api/v1/auth/password/reset", json={"token": _token(invited), "new_password": NEW_PASSWORD}
    )
    assert r.status_code == 204
    assert (await identity.login("ben", NEW_PASSWORD)).status_code == 200


async def test_profile_shows_preferences_and_changes_language(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    ben = await identity.auth("ben")
    me = (await identity.client.get("/api/v1/me", headers=ben)).json()
    assert me["organization"]["name"] == "Acme"
    assert me["notification_preferences"]["ticket_reply"] is True
    r = await identity.client.patch(
        "/api/v1/me",
        json={"language": "de", "notification_preferences": {"ticket_reply": False}},
        headers=ben,
    )
    assert r.status_code == 200
    assert r.json()["language"] == "de"
    assert r.json()["notification_preferences"]["ticket_reply"] is False
    assert r.json()["notification_preferences"]["ticket_status"] is True
    updated = (await identity.events("identity.user.updated"))[-1]["data"]
    assert updated["language"] == "de" and updated["notification_preferences"] == {
        "ticket_reply": False
    }


async def test_unknown_notification_kind_is_a_422(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    r = await identity.client.patch(
        "/api/v1/me",
        json={"notification_preferences": {"lottery": True}},
        headers=await identity.auth("ben"),
    )
    assert r.status_code == 422


async def test_changing_email_or_password_needs_the_current_password(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    ben = await identity.auth("ben")
    for body in (
        {"email": "new@example.com"},
        {"email": "new@example.com", "current_password": "wrong-password-1"},
        {"new_password": NEW_PASSWORD},
    ):
        r = await identity.client.patch("/api/v1/me", json=body, headers=ben)
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == "current_password"
    r = await identity.client.patch(
        "/api/v1/me",
        json={
            "email": "new@example.com",
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
        },
        headers=ben,
    )
    assert r.status_code == 200 and r.json()["email"] == "new@example.com"
    assert (await identity.login("ben", NEW_PASSWORD)).status_code == 200


async def test_reset_mails_per_account_are_capped(identity: Identity) -> None:
    org = await identity.organization("Acme")
    await identity.user("ben", roles=["customer"], organization_id=org["id"])
    for _ in range(7):
        r = await identity.client.post("/api/v1/auth/password/forgot", json={"username": "ben"})
        assert r.status_code == 202
    assert len(await identity.events("identity.password_reset.requested")) == 5
