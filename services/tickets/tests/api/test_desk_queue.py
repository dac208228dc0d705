"""The service desk's queue: unassigned and assigned tickets, by organization, breached
reaction targets first, sorted by SLA due time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from portal_harness import Portal
from sqlalchemy import update

from portal_tickets.ticket.models import Ticket

pytestmark = pytest.mark.integration


async def _numbers(world: Portal, user: str, query: str) -> list[str]:
    r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [t["number"] for t in r.json()["items"]]


async def _due(world: Portal, number: str, due_at: datetime) -> None:
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).where(Ticket.number == number).values(sla_due_at=due_at))
        await s.commit()


async def test_assignee_filter_finds_unassigned_and_someones_tickets(world: Portal) -> None:
    taken = await world.ticket("ben")
    free = await world.ticket("carla")
    r = await world.client.patch(
        f"/api/v1/tickets/{taken['number']}",
        json={"assignee_id": world.ids["erik"]},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200
    assert await _numbers(world, "erik", "assignee=none") == [free["number"]]
    erik = world.ids["erik"]
    assert await _numbers(world, "erik", f"assignee={erik}") == [taken["number"]]
    r = await world.client.get("/api/v1/tickets?assignee=nobody", headers=await world.as_("erik"))
    assert r.status_code == 422


async def test_organization_filter_for_staff_and_no_way_around_scoping(world: Portal) -> None:
    acme = await world.ticket("ben")
    globex = await world.ticket("carla")
    globex_id = world.orgs["globex"]
    assert await _numbers(world, "erik", f"organization_id={globex_id}") == [globex["number"]]
    assert await _numbers(world, "erik", f"organization_id={world.orgs['acme']}") == [
        acme["number"]
    ]
    # A customer naming another organization still sees only what they may see: nothing.
    assert await _numbers(world, "ben", f"organization_id={globex_id}") == []


async def test_breached_filter_and_sla_sort_with_cursor(world: Portal) -> None:
    now = datetime.now(UTC)
    late = await world.ticket("ben", priority="P1")
    later = await world.ticket("carla")
    soon = await world.ticket("ben", priority="P2")
    answered_late = await world.ticket("ben", priority="P1")
    await _due(world, late["number"], now - timedelta(hours=2))
    await _due(world, later["number"], now + timedelta(days=2))
    await _due(world, soon["number"], now + timedelta(hours=1))
    await _due(world, answered_late["number"], now - timedelta(hours=3))
    r = await world.client.post(
        f"/api/v1/tickets/{answered_late['number']}/articles",
        json={"body": "Sorry for the wait"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201

    # Breached means unanswered past the target: an answered ticket has met or missed it.
    assert await _numbers(world, "erik", "sla=breached") == [late["number"]]
    breached = (
        await world.client.get("/api/v1/tickets?sla=breached", headers=await world.as_("erik"))
    ).json()
    assert breached["items"][0]["sla"]["state"] == "breached"

    order = [answered_late["number"], late["number"], soon["number"], later["number"]]
    assert await _numbers(world, "erik", "sort=sla") == order
    assert await _numbers(world, "erik", "sort=-sla") == order[::-1]
    seen: list[str] = []
    cursor = None
    while True:
        query = "sort=sla&limit=3" + (f"&cursor={cursor}" if cursor else "")
        r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_("erik"))
        page = r.json()
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == order
    summary = await world.client.get(
        "/api/v1/tickets/summary?sla=breached&assignee=none", headers=await world.as_("erik")
    )
    assert summary.json()["total"] == 1
