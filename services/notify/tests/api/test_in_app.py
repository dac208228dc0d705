"""The in-app list (cursor, unread count, marking read) and the live event stream
through the gateway, which a reconnecting browser resumes with Last-Event-ID."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from portal_harness import Portal

from portal_ops.asgi import StreamingASGITransport

pytestmark = pytest.mark.integration


async def _reply(world: Portal, user: str, number: str, body: str, **extra) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": body, **extra},
        headers=await world.as_(user),
    )
    assert r.status_code == 201, r.text


async def _list(world: Portal, user: str, **params) -> dict:
    r = await world.client.get(
        "/api/v1/notifications", params=params, headers=await world.as_(user)
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_list_pages_counts_unread_and_marks_read(world) -> None:
    ticket = await world.ticket("ben")
    number = ticket["number"]
    for i in range(3):
        await _reply(world, "erik", number, f"Answer {i}")
    await world.settle()

    first = await _list(world, "ben", limit=2)
    assert first["unread_count"] == 3
    assert [n["body"] for n in first["items"]] == ["Answer 2", "Answer 1"]
    assert all(n["link"].endswith(f"/tickets/{number}") for n in first["items"])
    rest = await _list(world, "ben", limit=2, cursor=first["next_cursor"])
    assert [n["body"] for n in rest["items"]] == ["Answer 0"] and rest["next_cursor"] is None

    ben = await world.as_("ben")
    newest = first["items"][0]["id"]
    r = await world.client.post(f"/api/v1/notifications/{newest}/read", headers=ben)
    assert r.json() == {"marked": 1, "unread_count": 2}
    assert [n["body"] for n in (await _list(world, "ben", unread=True))["items"]] == [
        "Answer 1",
        "Answer 0",
    ]
    # Someone else's notification does not exist for the caller.
    r = await world.client.post(
        f"/api/v1/notifications/{newest}/read", headers=await world.as_("carla")
    )
    assert r.status_code == 404
    assert r.headers["content-type"] == "application/problem+json"
    # Each notification is announced on the bus (for other consumers), without its text.
    announced = await world.events("notify.notification.created", service="notify")
    mine = [e["data"] for e in announced if e["data"]["user_id"] == world.ids["ben"]]
    assert len(mine) == 3 and {e["kind"] for e in mine} == {"ticket_reply"}
    assert all(e["ticket_number"] == number and "body" not in e for e in mine)
    # The agent's own list holds the new ticket, not the replies the agent wrote.
    assert [n["kind"] for n in (await _list(world, "erik"))["items"]] == ["ticket_created"]

    r = await world.client.post("/api/v1/notifications/read-all", headers=ben)
    assert r.json() == {"marked": 2, "unread_count": 0}
    bad = await world.client.get("/api/v1/notifications?cursor=abc", headers=ben)
    assert bad.status_code == 422


async def test_internal_notes_and_other_organizations_stay_out(world) -> None:
    acme = await world.ticket("ben")
    # Globex's carla tries to follow Acme's ticket: it does not exist for her.
    r = await world.client.put(
        f"/api/v1/tickets/{acme['number']}/follow", headers=await world.as_("carla")
    )
    assert r.status_code == 404
    await _reply(world, "erik", acme["number"], "Note to self", internal=True)
    await world.settle()
    assert (await _list(world, "ben"))["items"] == []
    assert (await _list(world, "carla"))["items"] == []


async def _events(response: httpx.Response) -> AsyncIterator[dict]:
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


async def test_stream_delivers_live_and_resumes_after_a_reconnect(world) -> None:
    # A streaming client: httpx's own ASGI transport would wait for the endless body.
    transport = StreamingASGITransport(world.app)
    ben = await world.as_("ben")
    ticket = await world.ticket("ben")
    number = ticket["number"]
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        async with client.stream("GET", "/api/v1/notifications/stream", headers=ben) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            events = _events(response)
            ready = await anext(events)
            assert ready["event"] == "ready"
            await _reply(world, "erik", number, "Live answer")
            live = await asyncio.wait_for(anext(events), timeout=10)
            assert live["event"] == "notification"
            assert json.loads(live["data"])["body"] == "Live answer"
            last_seen = live["id"]

        # While the browser is away, two more answers arrive.
        await _reply(world, "erik", number, "Missed one")
        await _reply(world, "erik", number, "Missed two")
        await world.settle()
        resumed = {**ben, "Last-Event-ID": last_seen}
        async with client.stream(
            "GET", "/api/v1/notifications/stream", headers=resumed
        ) as response:
            events = _events(response)
            assert (await anext(events))["event"] == "ready"
            caught_up = [await asyncio.wait_for(anext(events), timeout=10) for _ in range(2)]
    assert [json.loads(e["data"])["body"] for e in caught_up] == ["Missed one", "Missed two"]

    # Without a token there is no stream.
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        r = await client.get("/api/v1/notifications/stream")
        assert r.status_code == 401


async def test_case_file_uploads_notify_the_tickets_people(world) -> None:
    ticket = await world.ticket("ben")
    number = ticket["number"]
    await world.settle()  # the files service learns about the ticket from its event
    base = f"/api/v1/tickets/{number}/folders"
    erik = await world.as_("erik")
    logs = await world.client.post(base, json={"name": "Logs"}, headers=erik)
    assert logs.status_code == 201, logs.text
    r = await world.client.post(
        f"{base}/{logs.json()['id']}/files",
        files={"file": ("log.txt", b"the log\n", "text/plain")},
        headers=erik,
    )
    assert r.status_code == 201, r.text
    await world.settle()
    [note] = (await _list(world, "ben"))["items"]
    assert note["kind"] == "case_file" and "log.txt" in note["title"]
