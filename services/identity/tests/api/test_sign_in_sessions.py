"""The profile's sign-ins: each portal sign-in (password, second factor) is listed with
its device, address, last use and "remember me"; ending one, all others or all of them
stops their refresh tokens at once; a password change, a reset and a deactivation end
the rows too; a sign-in from a new device (not the account's first) publishes the event
notify mails."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from identity_harness import PASSWORD, Identity
from mfa_harness import Clock, enrol, first_step, second_step
from sqlalchemy import delete, select, update

from portal_chassis.testing.revocation import until_refused
from portal_identity.sessions.models import SignInSession

pytestmark = pytest.mark.integration

SESSIONS = "/api/v1/me/sessions"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
NEW_DEVICE = "identity.session.started_on_new_device"


def _browser(user_agent: str, device: str | None = None, address: str = "") -> dict[str, str]:
    headers = {"User-Agent": user_agent}
    if device:
        headers["X-Portal-Device"] = device
    if address:
        headers["X-Forwarded-For"] = address
    return headers


async def _sign_in(
    identity: Identity, username: str, headers: dict[str, str], **extra: Any
) -> dict[str, Any]:
    r = await identity.client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD, **extra},
        headers=headers,
    )
    assert r.status_code == 200, r.text
    tokens: dict[str, Any] = r.json()
    tokens["auth"] = {"Authorization": f"Bearer {tokens['access_token']}"}
    return tokens


async def _listed(identity: Identity, tokens: dict[str, Any]) -> list[dict[str, Any]]:
    r = await identity.client.get(SESSIONS, headers=tokens["auth"])
    assert r.status_code == 200, r.text
    assert r.json()["next_cursor"] is None
    items: list[dict[str, Any]] = r.json()["items"]
    return items


async def _refresh(identity: Identity, tokens: dict[str, Any]) -> httpx.Response:
    return await identity.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
    )


async def _refused(identity: Identity, tokens: dict[str, Any]) -> None:
    """Identity's own verifier refuses the ended sign-in's access token once its list
    comes from a poll sent after the sign-in ended (see portal_chassis.testing.revocation)."""
    since = time.monotonic()

    async def refused() -> bool:
        answer = await identity.client.get("/api/v1/me", headers=tokens["auth"])
        return answer.status_code == 401

    await until_refused(
        refused,
        [identity.runtime.revocations],
        since=since,
        state=lambda: "the access token still works",
    )


async def _rows(identity: Identity, user_id: str) -> list[SignInSession]:
    async with identity.runtime.session_factory() as session:
        found = await session.scalars(
            select(SignInSession).where(SignInSession.user_id == uuid.UUID(user_id))
        )
        return list(found)


async def test_the_sign_ins_are_listed_with_device_address_and_this_one(
    identity: Identity,
) -> None:
    await identity.user("ben", roles=["agent"])
    laptop = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1", "10.1.1.1"))
    phone = await _sign_in(
        identity, "ben", _browser(IPHONE, "phone-cookie-value-22", "10.2.2.2"), remember_me=True
    )
    # The phone was used last: it comes first; the laptop's renewal puts it back on top.
    first, second = await _listed(identity, laptop)
    assert (first["device"], first["address"]) == ("Mobile Safari (iOS, iPhone)", "10.2.2.2")
    assert first["remember_me"] is True and first["current"] is False
    assert (second["device"], second["address"]) == ("Firefox (Linux)", "10.1.1.1")
    assert second["remember_me"] is False and second["current"] is True
    assert second["user_agent"] == FIREFOX and second["second_factor"] is False
    assert set(first) == {
        "id",
        "device",
        "user_agent",
        "address",
        "remember_me",
        "created_at",
        "last_used_at",
        "current",
        "second_factor",
    }
    renewed = await _refresh(identity, laptop)
    assert renewed.status_code == 200, renewed.text
    phone_view = await _listed(identity, phone)
    assert [s["device"] for s in phone_view] == ["Firefox (Linux)", "Mobile Safari (iOS, iPhone)"]
    assert [s["current"] for s in phone_view] == [False, True]
    assert phone_view[0]["last_used_at"] > phone_view[0]["created_at"]


async def test_ending_one_stops_its_tokens_and_leaves_the_others(identity: Identity) -> None:
    await identity.user("ben", roles=["agent"])
    here = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    there = await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
    [other] = [s for s in await _listed(identity, here) if not s["current"]]

    r = await identity.client.delete(f"{SESSIONS}/{other['id']}", headers=here["auth"])
    assert r.status_code == 204, r.text
    # Its refresh token at once, its access token within seconds.
    assert (await _refresh(identity, there)).status_code == 401
    await _refused(identity, there)
    assert [s["current"] for s in await _listed(identity, here)] == [True]
    assert (await _refresh(identity, here)).status_code == 200
    # Ended already: not found, like an unknown one.
    again = await identity.client.delete(f"{SESSIONS}/{other['id']}", headers=here["auth"])
    assert again.status_code == 404
    assert again.headers["content-type"] == "application/problem+json"
    unknown = await identity.client.delete(f"{SESSIONS}/{uuid.uuid4()}", headers=here["auth"])
    assert unknown.status_code == 404


async def _renew(identity: Identity, newest: list[dict[str, Any]], most: int = 150) -> None:
    """Renew the newest tokens until refused (or `most` times: a token that outlives the
    end of its sign-in renews for ever), keeping each pair got."""
    while len(newest) <= most and (r := await _refresh(identity, newest[-1])).status_code == 200:
        newest.append(r.json())


async def _end_after(identity: Identity, delay: float, sid: str, auth: dict[str, str]) -> None:
    await asyncio.sleep(delay)
    r = await identity.client.delete(f"{SESSIONS}/{sid}", headers=auth)
    assert r.status_code == 204, r.text


async def test_a_refresh_racing_the_end_of_its_sign_in_keeps_nothing(identity: Identity) -> None:
    """A client renewing its tokens in a loop while the user ends that sign-in: whatever
    it got before or during the end, its newest refresh token is refused afterwards."""
    await identity.user("ben", roles=["agent"])
    here = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    for attempt in range(6):
        there = await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
        [other] = [s for s in await _listed(identity, here) if not s["current"]]
        newest = [there]
        ending = _end_after(identity, 0.005 * attempt, other["id"], here["auth"])
        await asyncio.wait_for(asyncio.gather(_renew(identity, newest), ending), timeout=60)
        assert (await _refresh(identity, newest[-1])).status_code == 401, attempt
        assert [s["current"] for s in await _listed(identity, here)] == [True]


async def test_another_users_sign_in_is_not_found(identity: Identity) -> None:
    ben = await identity.user("ben", roles=["agent"])
    await identity.user("erik", roles=["agent"])
    bens = await _sign_in(identity, "ben", _browser(FIREFOX, "bens-cookie-value-01"))
    eriks = await _sign_in(identity, "erik", _browser(FIREFOX, "eriks-cookie-value-1"))
    [ben_session] = await _listed(identity, bens)

    r = await identity.client.delete(f"{SESSIONS}/{ben_session['id']}", headers=eriks["auth"])
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    assert (await _refresh(identity, bens)).status_code == 200
    assert [row.ended_at for row in await _rows(identity, ben["id"])] == [None]
    assert all(s["current"] for s in await _listed(identity, eriks))


async def test_ending_all_others_keeps_this_one_and_all_ends_this_too(
    identity: Identity,
) -> None:
    ben = await identity.user("ben", roles=["agent"])
    here = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    others = [
        await _sign_in(identity, "ben", _browser(IPHONE, f"phone-cookie-value-{n:02}"))
        for n in range(2)
    ]
    assert len(await _listed(identity, here)) == 3

    r = await identity.client.delete(SESSIONS, headers=here["auth"])
    assert r.status_code == 204, r.text
    for tokens in others:
        assert (await _refresh(identity, tokens)).status_code == 401
    [kept] = await _listed(identity, here)
    assert kept["current"] is True

    r = await identity.client.delete(
        SESSIONS, params={"include_current": "true"}, headers=here["auth"]
    )
    assert r.status_code == 204, r.text
    assert (await _refresh(identity, here)).status_code == 401
    await _refused(identity, here)
    rows = await _rows(identity, ben["id"])
    assert len(rows) == 3 and all(row.ended_at is not None for row in rows)


async def test_a_password_change_ends_the_other_sign_ins(identity: Identity) -> None:
    ben = await identity.user("ben", roles=["agent"])
    here = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    there = await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
    r = await identity.client.patch(
        "/api/v1/me",
        json={"current_password": PASSWORD, "new_password": "violet-harbour-lantern-42"},
        headers=here["auth"],
    )
    assert r.status_code == 200, r.text
    assert (await _refresh(identity, there)).status_code == 401
    [kept] = await _listed(identity, here)
    assert kept["current"] is True and kept["device"] == "Firefox (Linux)"
    ended = [row for row in await _rows(identity, ben["id"]) if row.ended_at is not None]
    assert [row.device for row in ended] == ["Mobile Safari (iOS, iPhone)"]


async def test_deactivation_and_signing_out_mark_the_sign_ins_ended(identity: Identity) -> None:
    ben = await identity.user("ben", roles=["agent"])
    out = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    r = await identity.client.post(
        "/api/v1/auth/logout", json={"refresh_token": out["refresh_token"]}
    )
    assert r.status_code == 204
    [signed_out] = await _rows(identity, ben["id"])
    assert signed_out.ended_at is not None

    await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
    r = await identity.client.patch(
        f"/api/v1/admin/users/{ben['id']}", json={"active": False}, headers=await identity.admin()
    )
    assert r.status_code == 200, r.text
    rows = await _rows(identity, ben["id"])
    assert len(rows) == 2 and all(row.ended_at is not None for row in rows)


async def test_a_sign_in_unused_for_its_lifetime_is_not_listed(identity: Identity) -> None:
    ben = await identity.user("ben", roles=["agent"])
    here = await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
    await _sign_in(identity, "ben", _browser(IPHONE, "tablet-cookie-value-3"), remember_me=True)
    # Both others unused for 13 hours: only the one without "remember me" has run out.
    long_ago = datetime.now(UTC) - timedelta(hours=13)
    async with identity.runtime.session_factory() as session:
        await session.execute(
            update(SignInSession)
            .where(
                SignInSession.user_id == uuid.UUID(ben["id"]),
                SignInSession.device_key != "",
                SignInSession.user_agent == IPHONE,
            )
            .values(last_used_at=long_ago)
        )
        await session.commit()
    listed = await _listed(identity, here)
    assert [(s["current"], s["remember_me"]) for s in listed] == [(True, False), (False, True)]


async def test_a_second_factor_sign_in_is_listed_as_one(
    identity: Identity, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = Clock.install(monkeypatch)
    await identity.user("ben", roles=["agent"])
    totp, _ = await enrol(identity, clock, "ben")
    mfa_token = await first_step(identity, "ben", remember_me=True)
    r = await second_step(
        identity, mfa_token, totp.at(clock.now), headers=_browser(FIREFOX, "laptop-cookie-value-1")
    )
    assert r.status_code == 200, r.text
    auth = {"Authorization": f"Bearer {r.json()['access_token']}"}
    listed = (await identity.client.get(SESSIONS, headers=auth)).json()["items"]
    mine = next(s for s in listed if s["current"])
    assert mine["second_factor"] is True and mine["remember_me"] is True
    assert mine["device"] == "Firefox (Linux)"


async def test_only_a_new_device_of_a_known_account_publishes_the_event(
    identity: Identity,
) -> None:
    ben = await identity.user("ben", roles=["agent"])
    laptop = _browser(FIREFOX, "laptop-cookie-value-1", "10.1.1.1")
    # The account's first sign-in is no news; the same browser again neither.
    await _sign_in(identity, "ben", laptop)
    await _sign_in(identity, "ben", laptop)
    assert await identity.events(NEW_DEVICE) == []
    # The same user agent from another browser (another device cookie) is new.
    another = await _sign_in(identity, "ben", _browser(FIREFOX, "other-cookie-value-9", "10.3.3.3"))
    [event] = await identity.events(NEW_DEVICE)
    data = event["data"]
    assert data["user_id"] == ben["id"] and data["username"] == "ben"
    assert data["email"] == "ben@example.com" and data["language"] == ben["language"]
    assert (data["device"], data["address"]) == ("Firefox (Linux)", "10.3.3.3")
    assert data["time_zone"] == "Europe/Berlin" and data["at"]
    current = next(s for s in await _listed(identity, another) if s["current"])
    assert data["session_id"] == current["id"]
    # A program without a device cookie is known by its user agent.
    await _sign_in(identity, "ben", {"User-Agent": "report-exporter/2.1"})
    await _sign_in(identity, "ben", {"User-Agent": "report-exporter/2.1"})
    events = await identity.events(NEW_DEVICE)
    assert [e["data"]["device"] for e in events] == ["Firefox (Linux)", "report-exporter"]


async def test_an_account_signed_in_before_the_list_existed_is_told_of_a_new_device(
    identity: Identity,
) -> None:
    """Sign-ins from before the list of sign-ins were kept only in the audit trail: the
    first sign-in after the upgrade (perhaps someone else's) is news to such a user."""
    ben = await identity.user("ben", roles=["agent"])
    await _sign_in(identity, "ben", _browser(FIREFOX, "laptop-cookie-value-1"))
    async with identity.runtime.session_factory() as session:  # as before the upgrade
        await session.execute(
            delete(SignInSession).where(SignInSession.user_id == uuid.UUID(ben["id"]))
        )
        await session.commit()
    await _sign_in(identity, "ben", _browser(IPHONE, "phone-cookie-value-22"))
    [event] = await identity.events(NEW_DEVICE)
    assert event["data"]["device"] == "Mobile Safari (iOS, iPhone)"
    # A brand-new account's first sign-in stays no news.
    await identity.user("cleo", roles=["agent"])
    await _sign_in(identity, "cleo", _browser(FIREFOX, "cleo-cookie-value-3"))
    assert [
        (e["data"]["username"], e["data"]["device"]) for e in await identity.events(NEW_DEVICE)
    ] == [("ben", "Mobile Safari (iOS, iPhone)")]
