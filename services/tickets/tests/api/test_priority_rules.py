"""Changing a ticket's priority: who may choose which priority, and the reaction target
that follows the priority; a closed ticket's clock stands still."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from portal_harness import Portal
from sqlalchemy import select, update

from portal_tickets.ticket.models import Ticket

pytestmark = pytest.mark.integration

ALL = ["P1", "P2", "P3", "P4"]


async def test_raising_the_priority_recomputes_the_due_time_from_the_opening(
    world: Portal,
) -> None:
    ticket = await world.ticket("ben", priority="P3")
    p2 = await world.ticket("ben", priority="P2")
    ben = await world.as_("ben")
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}", json={"priority": "P1"}, headers=ben
    )
    assert r.status_code == 200, r.text
    raised = r.json()
    created = datetime.fromisoformat(raised["created_at"])
    expected = await world.reaction_due("ben", world.orgs["acme"], created, "P1")
    assert datetime.fromisoformat(raised["sla"]["due_at"]) == expected
    assert raised["sla"]["due_at"] < p2["sla"]["due_at"]
    # The desk's "most urgent first" order follows the new target.
    listed = await world.client.get("/api/v1/tickets?sort=sla", headers=await world.as_("erik"))
    numbers = [t["number"] for t in listed.json()["items"]]
    assert numbers.index(ticket["number"]) < numbers.index(p2["number"])


async def test_a_breach_reported_under_the_old_target_is_forgotten_when_the_new_one_is_later(
    world: Portal,
) -> None:
    ticket = await world.ticket("ben", priority="P1")
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket)
            .where(Ticket.number == ticket["number"])
            .values(sla_due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        await s.commit()
    await world.tickets.tasks.enqueue("scan_sla")
    await world.tickets.tasks.drain()
    ben = await world.as_("ben")
    shown = await world.client.get(f"/api/v1/tickets/{ticket['number']}", headers=ben)
    assert shown.json()["sla"]["state"] == "breached"
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}",
        json={"priority": "P4"},
        headers=ben,
    )
    assert r.json()["sla"]["state"] in ("ok", "at_risk")
    async with world.tickets.session_factory() as s:
        mark = await s.scalar(
            select(Ticket.sla_breached_at).where(Ticket.number == ticket["number"])
        )
    assert mark is None  # the scan reports the ticket again should P4's target pass


async def test_customer_without_priority_contract_is_refused_another_priority(
    world: Portal,
) -> None:
    ticket = await world.ticket("carla", priority="P1")
    assert ticket["priority"] == "P4"  # opening still coerces, as the design says
    assert ticket["allowed_priorities"] == ["P4"]
    carla = await world.as_("carla")
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}", json={"priority": "P1"}, headers=carla
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    [error] = r.json()["errors"]
    assert error["field"] == "priority" and error["code"] == "no_priority_contract"
    assert error["message"] == "Your organization has no priority contract; priority stays P4."
    # Keeping P4 (the form sends it along with the category) is fine.
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}",
        json={"priority": "P4", "category": "question"},
        headers=carla,
    )
    assert r.status_code == 200 and r.json()["category"] == "question"


async def test_service_desk_may_set_any_priority_on_any_ticket(world: Portal) -> None:
    ticket = await world.ticket("carla")
    erik = await world.as_("erik")
    shown = await world.client.get(f"/api/v1/tickets/{ticket['number']}", headers=erik)
    assert shown.json()["allowed_priorities"] == ALL
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}", json={"priority": "P2"}, headers=erik
    )
    assert r.status_code == 200 and r.json()["priority"] == "P2"


async def test_priorities_offered_for_a_new_ticket_follow_the_contract(world: Portal) -> None:
    for username, offered in (("ben", ALL), ("carla", ["P4"]), ("erik", ALL)):
        r = await world.client.get("/api/v1/tickets/priorities", headers=await world.as_(username))
        assert r.status_code == 200 and r.json() == {"items": offered, "default": "P4"}, username


async def test_closing_or_cancelling_stops_the_clock(world: Portal) -> None:
    closed = await world.ticket("ben", priority="P1")
    cancelled = await world.ticket("ben", priority="P1")
    late = await world.ticket("ben", priority="P1")
    ben = await world.as_("ben")
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket)
            .where(Ticket.number == late["number"])
            .values(sla_due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
        await s.commit()
    await world.tickets.tasks.enqueue("scan_sla")
    await world.tickets.tasks.drain()
    await world.client.post(f"/api/v1/tickets/{closed['number']}/close", headers=ben)
    await world.client.post(f"/api/v1/tickets/{cancelled['number']}/cancel", headers=ben)
    await world.client.post(f"/api/v1/tickets/{late['number']}/close", headers=ben)
    # Long after the target, a ticket closed in time is not "breached": the first two
    # were closed two hours ago, their target passed an hour ago.
    now = datetime.now(UTC)
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).values(sla_due_at=now - timedelta(hours=1)))
        for number, resolved in (
            (closed["number"], now - timedelta(hours=2)),
            (cancelled["number"], None),
        ):
            await s.execute(
                update(Ticket)
                .where(Ticket.number == number)
                .values(updated_at=now - timedelta(hours=2), resolved_at=resolved)
            )
        await s.commit()
    states = {}
    for t in (closed, cancelled, late):
        shown = await world.client.get(f"/api/v1/tickets/{t['number']}", headers=ben)
        states[t["number"]] = (shown.json()["sla"]["state"], shown.json()["sla"]["running"])
    assert states == {
        closed["number"]: ("stopped", False),
        cancelled["number"]: ("stopped", False),
        late["number"]: ("missed", False),  # it had passed its target before it was closed
    }
    breached = await world.client.get(
        "/api/v1/tickets?sla=breached", headers=await world.as_("erik")
    )
    assert breached.json()["items"] == []
