"""An ended sign-in ends everywhere within seconds: after a deactivation, a sign-out or a
reused refresh token, the gateway and every service refuse the access token that is still
within its lifetime (each service checks tokens itself, so each is asked directly too)."""

from __future__ import annotations

import asyncio
import time
import uuid

import httpx
import pytest
from portal_harness import PASSWORD, Portal

from portal_chassis.revocation import RevocationList
from portal_chassis.testing.revocation import until_refused
from portal_chassis.testing.tokens import claims_of
from portal_ops.asgi import StreamingASGITransport

pytestmark = pytest.mark.integration

# An open notification stream of a deactivated user ends within this bound.
BOUND_SECONDS = 5.0

# A route of each service a customer may call (files: an unknown file is a 404).
PROBES = {
    "identity": "/api/v1/me",
    "tickets": "/api/v1/tickets",
    "files": f"/api/v1/files/{uuid.uuid4()}",
    "faq": "/api/v1/faq/categories",
    "notify": "/api/v1/notifications",
}


async def _answers(world: Portal, token: str) -> dict[str, int]:
    headers = {"Authorization": f"Bearer {token}"}
    platform = world.app.state.gateway["platform"]
    found = {"gateway": (await world.client.get("/api/v1/tickets", headers=headers)).status_code}
    for name, path in PROBES.items():
        transport = httpx.ASGITransport(app=platform.embedded[name], raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{name}") as direct:
            found[name] = (await direct.get(path, headers=headers)).status_code
    return found


async def _accepted_everywhere(world: Portal, token: str) -> None:
    answers = await _answers(world, token)
    assert 401 not in answers.values(), answers


def _states(world: Portal, token: str) -> dict[str, str]:
    """Each list's state, said when a check fails: when its last poll was sent and came
    back, why none since, whether it refuses the token and the cursor it asks with next
    (so that a failure shows whether the list or the service let the token in)."""
    claims = claims_of(token)
    now = time.monotonic()

    def ago(moment: float | None) -> str:
        return "never" if moment is None else f"{now - moment:.1f} s ago"

    def state(part: RevocationList) -> str:
        refuses = part.revoked(
            user=str(claims["sub"]), session=claims.get("sid"), issued_at=float(claims["iat"])
        )
        return (
            f"asked {ago(part.asked_at)}, refreshed {ago(part.refreshed_at)}, "
            f"failure: {part.failure}, refuses: {refuses}, cursor: {part.cursor}"
        )

    return {name: state(part) for name, part in world.revocation_lists.items()}


async def _refused_everywhere(world: Portal, token: str, since: float) -> None:
    """Every part refuses the token once its list comes from a poll sent after the
    sign-in ended at `since` (see portal_chassis.testing.revocation)."""
    seen: dict[str, int] = {}

    async def refused() -> bool:
        seen.update(await _answers(world, token))
        return set(seen.values()) == {401}

    await until_refused(
        refused,
        world.revocation_lists.values(),
        since=since,
        state=lambda: f"{seen}; lists: {_states(world, token)}",
    )


async def _sign_in(world: Portal, username: str) -> dict[str, str]:
    r = await world.client.post(
        "/api/v1/auth/login", json={"username": username, "password": PASSWORD}
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_deactivated_customer_is_refused_by_every_service(world: Portal) -> None:
    tokens = await _sign_in(world, "ben")
    auth = {"Authorization": f"Bearer {tokens['access_token']}"}
    await _accepted_everywhere(world, tokens["access_token"])
    created = await world.client.post("/api/v1/tickets", json={"title": "Jam"}, headers=auth)
    assert created.status_code == 201, created.text

    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['ben']}",
        json={"active": False},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    await _refused_everywhere(world, tokens["access_token"], since=time.monotonic())
    again = await world.client.post("/api/v1/tickets", json={"title": "Jam"}, headers=auth)
    assert again.status_code == 401
    assert again.headers["content-type"] == "application/problem+json"
    # Somebody else's token is not affected.
    await _accepted_everywhere(world, (await _sign_in(world, "anna"))["access_token"])


async def test_signing_out_ends_that_sign_in_only(world: Portal) -> None:
    laptop, phone = await _sign_in(world, "ben"), await _sign_in(world, "ben")
    r = await world.client.post(
        "/api/v1/auth/logout", json={"refresh_token": laptop["refresh_token"]}
    )
    assert r.status_code == 204
    await _refused_everywhere(world, laptop["access_token"], since=time.monotonic())
    await _accepted_everywhere(world, phone["access_token"])


async def test_signing_out_everywhere_ends_every_sign_in(world: Portal) -> None:
    laptop, phone = await _sign_in(world, "ben"), await _sign_in(world, "ben")
    r = await world.client.post(
        "/api/v1/auth/logout", headers={"Authorization": f"Bearer {laptop['access_token']}"}
    )
    assert r.status_code == 204
    started = time.monotonic()
    await _refused_everywhere(world, laptop["access_token"], since=started)
    await _refused_everywhere(world, phone["access_token"], since=started)
    await _accepted_everywhere(world, (await _sign_in(world, "ben"))["access_token"])


async def test_a_reused_refresh_token_ends_the_whole_sign_in(world: Portal) -> None:
    first = await _sign_in(world, "ben")
    other = await _sign_in(world, "ben")
    r = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert r.status_code == 200
    second = r.json()
    await _accepted_everywhere(world, second["access_token"])
    # The rotated token comes back (stolen): the sign-in it belongs to is over.
    r = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}
    )
    assert r.status_code == 401
    started = time.monotonic()
    await _refused_everywhere(world, second["access_token"], since=started)
    await _refused_everywhere(world, first["access_token"], since=started)
    await _accepted_everywhere(world, other["access_token"])


async def test_an_open_event_stream_ends_when_the_user_is_deactivated(world: Portal) -> None:
    ben = await world.as_("ben")
    transport = StreamingASGITransport(world.app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://portal") as client,
        client.stream("GET", "/api/v1/notifications/stream", headers=ben) as stream,
    ):
        assert stream.status_code == 200
        lines = stream.aiter_lines()
        assert await anext(lines) == "retry: 3000"
        r = await world.client.patch(
            f"/api/v1/admin/users/{world.ids['ben']}",
            json={"active": False},
            headers=await world.admin(),
        )
        assert r.status_code == 200

        async def drain() -> None:
            async for _ in lines:
                pass

        # The heartbeat is 15 s; the stream ends well before its next one.
        await asyncio.wait_for(drain(), timeout=BOUND_SECONDS)


async def test_signing_out_ends_the_sign_in_on_sqlite_too(sqlite_world: Portal) -> None:
    """The all-in-one mode's embedded databases keep and serve revocations alike."""
    tokens = await _sign_in(sqlite_world, "ben")
    r = await sqlite_world.client.post(
        "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
    )
    assert r.status_code == 204
    await _refused_everywhere(sqlite_world, tokens["access_token"], since=time.monotonic())


async def test_a_changed_password_ends_every_other_sign_in_but_keeps_this_one(
    world: Portal,
) -> None:
    here, elsewhere = await _sign_in(world, "ben"), await _sign_in(world, "ben")
    r = await world.client.patch(
        "/api/v1/me",
        json={"current_password": PASSWORD, "new_password": "violet-harbour-lantern-42"},
        headers={"Authorization": f"Bearer {here['access_token']}"},
    )
    assert r.status_code == 200, r.text
    await _refused_everywhere(world, elsewhere["access_token"], since=time.monotonic())
    refreshed = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": elsewhere["refresh_token"]}
    )
    assert refreshed.status_code == 401
    await _accepted_everywhere(world, here["access_token"])
    kept = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": here["refresh_token"]}
    )
    assert kept.status_code == 200, kept.text


async def test_ending_a_sign_in_in_the_profile_ends_it_everywhere(world: Portal) -> None:
    """`DELETE /api/v1/me/sessions/{id}` from one sign-in ends another: its refresh token
    at once, its access token at the gateway and every service within the bound."""
    here, there = await _sign_in(world, "ben"), await _sign_in(world, "ben")
    auth = {"Authorization": f"Bearer {here['access_token']}"}
    listed = await world.client.get("/api/v1/me/sessions", headers=auth)
    assert listed.status_code == 200, listed.text
    [other] = [s for s in listed.json()["items"] if not s["current"]]
    await _accepted_everywhere(world, there["access_token"])

    r = await world.client.delete(f"/api/v1/me/sessions/{other['id']}", headers=auth)
    assert r.status_code == 204, r.text
    started = time.monotonic()
    refreshed = await world.client.post(
        "/api/v1/auth/refresh", json={"refresh_token": there["refresh_token"]}
    )
    assert refreshed.status_code == 401
    await _refused_everywhere(world, there["access_token"], since=started)
    await _accepted_everywhere(world, here["access_token"])
