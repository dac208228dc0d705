"""Ticket lists: scopes, states, filters, search, sorting, cursors and counters."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def _numbers(world: Portal, user: str, query: str) -> list[str]:
    r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [t["number"] for t in r.json()["items"]]


async def test_mine_and_organization_scopes(world: Portal) -> None:
    bens = await world.ticket("ben")
    annas = await world.ticket("anna")
    assert await _numbers(world, "ben", "scope=mine") == [bens["number"]]
    assert set(await _numbers(world, "ben", "scope=organization")) == {
        bens["number"],
        annas["number"],
    }
    # Without organization-wide visibility the organization scope is one's own tickets.
    dans = await world.ticket("dan")
    await world.ticket("carla")
    assert await _numbers(world, "dan", "scope=organization") == [dans["number"]]


async def test_open_and_closed_states_and_portal_status_filter(world: Portal) -> None:
    a, b = await world.ticket("ben"), await world.ticket("ben")
    await world.client.post(f"/api/v1/tickets/{a['number']}/close", headers=await world.as_("ben"))
    assert await _numbers(world, "ben", "state=open") == [b["number"]]
    assert await _numbers(world, "ben", "state=closed") == [a["number"]]
    assert await _numbers(world, "ben", "status=closed") == [a["number"]]
    assert await _numbers(world, "ben", "status=in_progress") == [b["number"]]
    r = await world.client.get("/api/v1/tickets?status=resolved", headers=await world.as_("ben"))
    assert r.status_code == 422  # internal statuses are not the customer's vocabulary
    assert await _numbers(world, "erik", "status=closed") == [a["number"]]


async def test_priority_and_category_filters(world: Portal) -> None:
    p1 = await world.ticket("ben", priority="P1", category="question")
    await world.ticket("ben", priority="P3")
    assert await _numbers(world, "ben", "priority=P1") == [p1["number"]]
    assert await _numbers(world, "ben", "category=question") == [p1["number"]]
    r = await world.client.get("/api/v1/tickets?priority=P9", headers=await world.as_("ben"))
    assert r.status_code == 422


async def test_search_by_number_and_text_with_wildcard(world: Portal) -> None:
    conveyor = await world.ticket("ben", title="Conveyor belt stops")
    await world.ticket("ben", title="Printer offline")
    assert await _numbers(world, "ben", f"q={conveyor['number']}") == [conveyor["number"]]
    assert await _numbers(world, "ben", "q=conveyor") == [conveyor["number"]]
    assert await _numbers(world, "ben", "q=Conv*stops") == [conveyor["number"]]


async def test_cursor_pagination_walks_every_ticket_once_in_order(world: Portal) -> None:
    made = [(await world.ticket("ben", priority=f"P{i % 4 + 1}"))["number"] for i in range(7)]
    for sort in ("-created", "number", "priority", "-updated"):
        seen: list[str] = []
        cursor = None
        while True:
            query = f"scope=mine&sort={sort}&limit=3" + (f"&cursor={cursor}" if cursor else "")
            r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_("ben"))
            page = r.json()
            seen += [t["number"] for t in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert sorted(seen) == sorted(made) and len(seen) == len(set(seen)), sort
    assert await _numbers(world, "ben", "scope=mine&sort=number") == sorted(made)
    assert await _numbers(world, "ben", "scope=mine&sort=-number") == sorted(made, reverse=True)
    r = await world.client.get("/api/v1/tickets?cursor=garbage", headers=await world.as_("ben"))
    assert r.status_code == 422


async def test_summary_counts_by_priority_and_portal_status(world: Portal) -> None:
    await world.ticket("ben", priority="P1")
    await world.ticket("ben", priority="P1")
    closed = await world.ticket("ben", priority="P3")
    await world.client.post(
        f"/api/v1/tickets/{closed['number']}/close", headers=await world.as_("ben")
    )
    r = await world.client.get("/api/v1/tickets/summary", headers=await world.as_("ben"))
    body = r.json()
    assert body["total"] == 3
    assert body["by_priority"] == {"P1": 2, "P2": 0, "P3": 1, "P4": 0}
    assert body["by_portal_status"]["in_progress"] == 2 and body["by_portal_status"]["closed"] == 1
    assert body["by_status"] is None
    staff = await world.client.get("/api/v1/tickets/summary", headers=await world.as_("erik"))
    assert staff.json()["by_status"]["closed"] == 1
