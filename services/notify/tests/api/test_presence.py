"""Agents who have the same ticket open see each other: each work page says so every
few seconds (and whether its agent is writing a reply), learns who else is there, and
hears of changes on its live stream at once."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from portal_harness import Portal
from sqlalchemy import update

from portal_notify.presence.models import Presence
from portal_ops.asgi import StreamingASGITransport

pytestmark = pytest.mark.integration

PRESENCE = "/api/v1/notifications/presence"


async def _frida(world: Portal) -> None:
    """A second agent next to Erik."""
    world.ids["frida"] = await world.user("frida", ["agent"], None)
    await world.settle()  # notify learns her name from identity's event


async def _put(world: Portal, user: str, number: str, typing: bool = False) -> list[dict[str, Any]]:
    r = await world.client.put(
        f"{PRESENCE}/{number}", json={"typing": typing}, headers=await world.as_(user)
    )
    assert r.status_code == 200, r.text
    viewers: list[dict[str, Any]] = r.json()["viewers"]
    return viewers


def _seen(viewers: list[dict[str, Any]]) -> list[tuple[str, bool]]:
    return [(v["name"], v["typing"]) for v in viewers]


async def _leave(world: Portal, user: str, number: str) -> None:
    r = await world.client.post(f"{PRESENCE}/{number}/leave", headers=await world.as_(user))
    assert r.status_code == 204, r.text


async def _seen_long_ago(world: Portal, user: str, seconds: float) -> None:
    """As if `user`'s page had stopped saying it is there `seconds` ago."""
    async with world.notify.session_factory() as session:
        await session.execute(
            update(Presence)
            .where(Presence.user_id == uuid.UUID(world.ids[user]))
            .values(seen_at=datetime.now(UTC) - timedelta(seconds=seconds))
        )
        await session.commit()


async def _two_agents_on_one_ticket(world: Portal) -> None:
    await _frida(world)
    number = (await world.ticket("ben"))["number"]
    assert await _put(world, "erik", number) == []
    # Frida sees Erik; Erik, on his next beat, sees Frida (and not himself).
    [erik] = await _put(world, "frida", number)
    assert (erik["name"], erik["typing"], erik["user_id"]) == ("Erik", False, world.ids["erik"])
    assert _seen(await _put(world, "erik", number, typing=True)) == [("Frida", False)]
    assert _seen(await _put(world, "frida", number)) == [("Erik", True)]
    # The beat keeps the time of arrival.
    assert _seen(await _put(world, "frida", number)) == [("Erik", True)]
    assert (await _put(world, "frida", number))[0]["since"] == erik["since"]

    await _leave(world, "erik", number)
    assert await _put(world, "frida", number) == []
    await _put(world, "erik", number)
    assert _seen(await _put(world, "frida", number)) == [("Erik", False)]
    # A page that stopped saying so for 45 s counts as closed; a late beat does not.
    await _seen_long_ago(world, "erik", 40)
    assert _seen(await _put(world, "frida", number)) == [("Erik", False)]
    await _seen_long_ago(world, "erik", 46)
    assert await _put(world, "frida", number) == []
    # Back again: his time counts from now.
    assert _seen(await _put(world, "erik", number)) == [("Frida", False)]
    [back] = await _put(world, "frida", number)
    assert datetime.fromisoformat(back["since"]) > datetime.fromisoformat(erik["since"])


async def test_two_agents_see_each_other_on_postgres(world: Portal) -> None:
    await _two_agents_on_one_ticket(world)


async def test_two_agents_see_each_other_on_sqlite(sqlite_world: Portal) -> None:
    await _two_agents_on_one_ticket(sqlite_world)


async def test_only_the_service_desk_and_only_on_tickets(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    for user in ("ben", "anna"):
        headers = await world.as_(user)
        r = await world.client.put(f"{PRESENCE}/{number}", json={"typing": False}, headers=headers)
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
        r = await world.client.post(f"{PRESENCE}/{number}/leave", headers=headers)
        assert r.status_code == 404
    erik = await world.as_("erik")
    r = await world.client.put(f"{PRESENCE}/T999999", json={"typing": False}, headers=erik)
    assert r.status_code == 404
    assert (await world.client.post(f"{PRESENCE}/T999999/leave", headers=erik)).status_code == 404
    # Administrators are of the service desk too.
    r = await world.client.put(
        f"{PRESENCE}/{number}", json={"typing": False}, headers=await world.admin()
    )
    assert r.status_code == 200, r.text
    assert _seen(r.json()["viewers"]) == []
    r = await world.client.put(f"{PRESENCE}/{number}", json={"typing": "maybe"}, headers=erik)
    assert r.status_code == 422


async def test_a_brand_new_ticket_is_asked_of_the_tickets_service(world: Portal) -> None:
    # The ticket's own event has not reached notify: the page must not hear "no such
    # ticket" for the ticket it shows.
    async with world.holding("notify", "notify.directory.ticket"):
        number = (await world.ticket("ben"))["number"]
        assert await _put(world, "erik", number) == []


async def _events(response: httpx.Response) -> AsyncIterator[dict[str, str]]:
    """Parse a text/event-stream body into {id, event, data} dicts."""
    fields: dict[str, str] = {}
    async for line in response.aiter_lines():
        if line == "":
            if fields:
                yield fields
            fields = {}
        elif not line.startswith(":"):
            key, _, value = line.partition(":")
            fields[key] = value.lstrip(" ")


async def _next_presence(events: AsyncIterator[dict[str, str]]) -> dict[str, Any]:
    while True:
        event = await asyncio.wait_for(anext(events), timeout=10)
        if event.get("event") == "presence":
            found: dict[str, Any] = json.loads(event["data"])
            return found


async def test_the_stream_tells_when_a_colleague_arrives_writes_and_leaves(
    world: Portal,
) -> None:
    await _frida(world)
    number = (await world.ticket("ben"))["number"]
    await world.settle()
    # A streaming client: httpx's own ASGI transport would wait for the endless body.
    transport = StreamingASGITransport(world.app)
    stream = "/api/v1/notifications/stream"
    erik = await world.as_("erik")
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://portal") as client,
        client.stream("GET", stream, headers=erik) as response,
    ):
        events = _events(response)
        assert (await anext(events))["event"] == "ready"
        await _put(world, "erik", number)
        await _put(world, "frida", number)
        arrived = await _next_presence(events)
        assert arrived["ticket"] == number
        assert _seen(arrived["viewers"]) == [("Frida", False)]
        assert arrived["viewers"][0]["user_id"] == world.ids["frida"]
        await _put(world, "frida", number, typing=True)
        assert _seen((await _next_presence(events))["viewers"]) == [("Frida", True)]
        await _leave(world, "frida", number)
        assert await _next_presence(events) == {"ticket": number, "viewers": []}
