"""The SLA clock through the API, on both database backends: the contract in force when
a ticket opens gives its reaction and resolution targets in the contract's calendar; a
new priority retargets; waiting for the customer pauses the clock and their answer
resumes it; resolve, close and cancel stop it; the scan reports a passed resolution
target once, as an event naming the target and a metric, and leaves paused tickets be."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from portal_harness import Portal
from prometheus_client import REGISTRY
from sqlalchemy import update

from portal_tickets.contracts.rules import parse_weekly
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.ticket.models import Ticket

HOURS = {"P1": (1, 4), "P2": (2, 12), "P3": (3, 30), "P4": (5, 60)}  # reaction, resolution


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


@pytest.fixture
async def desk(backend_world: Portal) -> Portal:
    """`world` with a contract in force for Acme: a calendar open (almost) all day every
    day, so that the clock moves while the test runs, and distinctive targets."""
    world = backend_world
    admin = await world.admin()
    r = await world.client.post(
        "/api/v1/business-calendars",
        json={
            "name": "Around the clock",
            "time_zone": "Europe/Berlin",
            "weekly": {str(d): ["00:00", "23:59"] for d in range(7)},
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    r = await world.client.post(
        "/api/v1/contracts",
        json={
            "organization_id": world.orgs["acme"],
            "name": "Platinum",
            "valid_from": str(date.today() - timedelta(days=1)),
            "calendar_id": r.json()["id"],
            "priorities_selectable": True,
            "targets": {
                p: {"reaction_hours": a, "resolution_hours": b} for p, (a, b) in HOURS.items()
            },
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    world.contract = r.json()  # type: ignore[attr-defined]
    return world


async def calendar_of(world: Portal) -> BusinessCalendar:
    r = await world.client.get(
        "/api/v1/contracts/in-force",
        params={"organization_id": world.orgs["acme"]},
        headers=await world.as_("ben"),
    )
    found = r.json()["calendar"]
    return BusinessCalendar(
        timezone=found["time_zone"],
        weekly=parse_weekly(found["weekly"]),
        holidays=frozenset(date.fromisoformat(d) for d in found["holidays"]),
    )


def at(value: str) -> datetime:
    return datetime.fromisoformat(value)


async def show(world: Portal, number: str, user: str = "ben") -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()


async def patch(world: Portal, number: str, user: str, **body: Any) -> dict[str, Any]:
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json=body, headers=await world.as_(user)
    )
    assert r.status_code == 200, r.text
    return r.json()


async def reply(world: Portal, number: str, user: str, body: str = "Here it is") -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles", json={"body": body}, headers=await world.as_(user)
    )
    assert r.status_code == 201, r.text


async def move_back(world: Portal, number: str, **columns: datetime) -> None:
    """Let time pass: put stored moments of the ticket's clock into the past."""
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).where(Ticket.number == number).values(**columns))
        await s.commit()


async def scan(world: Portal) -> None:
    await world.tickets.tasks.enqueue("scan_sla")
    await world.tickets.tasks.drain()


def resolution_breaches(priority: str) -> float:
    sample = REGISTRY.get_sample_value(
        "portal_sla_resolution_breaches_total", {"priority": priority}
    )
    return sample or 0.0


async def test_the_contract_in_force_at_opening_gives_both_targets(desk: Portal) -> None:
    ticket = await desk.ticket("ben", priority="P3")
    sla = ticket["sla"]
    calendar = await calendar_of(desk)
    opened = at(ticket["created_at"])
    assert sla["contract"] == {"id": desk.contract["id"], "name": "Platinum"}  # type: ignore[attr-defined]
    assert sla["time_zone"] == "Europe/Berlin"
    assert (sla["reaction"]["target_hours"], sla["resolution"]["target_hours"]) == (3, 30)
    assert at(sla["reaction"]["due_at"]) == calendar.add(opened, timedelta(hours=3))
    assert at(sla["resolution"]["due_at"]) == calendar.add(opened, timedelta(hours=30))
    assert sla["reaction"]["state"] == sla["resolution"]["state"] == "ok"
    assert sla["paused"] is False and sla["running"] is True
    # Globex has no contract: the standard terms, and the page says so.
    other = await desk.ticket("carla")
    assert other["sla"]["contract"]["id"] is None
    assert other["sla"]["resolution"]["target_hours"] > other["sla"]["reaction"]["target_hours"]


async def test_a_new_priority_retargets_both_timers_from_the_opening(desk: Portal) -> None:
    ticket = await desk.ticket("ben", priority="P4")
    raised = await patch(desk, ticket["number"], "ben", priority="P1")
    calendar = await calendar_of(desk)
    opened = at(ticket["created_at"])
    assert raised["sla"]["reaction"]["target_hours"] == 1
    assert raised["sla"]["resolution"]["target_hours"] == 4
    assert at(raised["sla"]["resolution"]["due_at"]) == calendar.add(opened, timedelta(hours=4))
    assert raised["sla"]["contract"]["name"] == "Platinum"


async def test_waiting_for_the_customer_pauses_and_their_answer_resumes(desk: Portal) -> None:
    ticket = await desk.ticket("ben", priority="P2")
    number = ticket["number"]
    before = at(ticket["sla"]["resolution"]["due_at"])
    asked = await patch(desk, number, "erik", status="waiting_customer")
    assert asked["sla"]["paused"] is True
    assert asked["sla"]["reaction"]["state"] == asked["sla"]["resolution"]["state"] == "paused"
    assert asked["sla"]["running"] is False
    # Two hours pass while the desk waits.
    since = datetime.now(UTC) - timedelta(hours=2)
    await move_back(desk, number, sla_paused_at=since)
    waiting = await show(desk, number)
    assert at(waiting["sla"]["paused_since"]) == since
    assert waiting["sla"]["paused_hours"] == pytest.approx(2, abs=0.05)
    # While paused, pages show the due time as if the pause ended now.
    assert at(waiting["sla"]["resolution"]["due_at"]) > before + timedelta(hours=1, minutes=55)

    await reply(desk, number, "ben")

    resumed = await show(desk, number, "erik")
    assert resumed["status"] == "open"
    assert resumed["sla"]["paused"] is False and resumed["sla"]["paused_since"] is None
    held = at(resumed["sla"]["resolution"]["due_at"]) - before
    assert timedelta(hours=1, minutes=55) < held < timedelta(hours=2, minutes=5)
    assert resumed["sla"]["paused_hours"] == pytest.approx(held.total_seconds() / 3600, abs=0.01)
    assert resumed["sla"]["resolution"]["state"] == "ok"


async def test_resolve_close_and_cancel_stop_the_clock(desk: Portal) -> None:
    resolved = await desk.ticket("ben", priority="P2")
    await reply(desk, resolved["number"], "erik", "Fixed with the new driver.")
    done = await patch(desk, resolved["number"], "erik", status="resolved")
    assert done["sla"]["reaction"]["state"] == done["sla"]["resolution"]["state"] == "met"
    assert done["sla"]["resolution"]["done_at"] is not None
    assert done["sla"]["resolution"]["running"] is False and done["sla"]["running"] is False

    cancelled = await desk.ticket("ben", priority="P2")
    r = await desk.client.post(
        f"/api/v1/tickets/{cancelled['number']}/cancel", headers=await desk.as_("ben")
    )
    assert r.status_code == 200, r.text
    gone = await show(desk, cancelled["number"])
    assert gone["sla"]["reaction"]["state"] == gone["sla"]["resolution"]["state"] == "stopped"

    # Closed while paused, after the resolution target passed: missed, not paused.
    late = await desk.ticket("ben", priority="P2")
    await patch(desk, late["number"], "erik", status="waiting_customer")
    past = datetime.now(UTC) - timedelta(hours=30)
    await move_back(desk, late["number"], resolution_due_at=past, sla_due_at=past)
    r = await desk.client.post(
        f"/api/v1/tickets/{late['number']}/close", headers=await desk.as_("ben")
    )
    assert r.status_code == 200, r.text
    closed = await show(desk, late["number"])
    assert closed["sla"]["paused"] is False
    assert closed["sla"]["resolution"]["state"] == "missed"


async def test_the_scan_reports_a_passed_resolution_target_once(desk: Portal) -> None:
    answered = await desk.ticket("ben", priority="P3")
    await reply(desk, answered["number"], "erik", "We are looking into it.")
    paused = await desk.ticket("ben", priority="P3")
    await patch(desk, paused["number"], "erik", status="waiting_customer")
    past = datetime.now(UTC) - timedelta(minutes=1)
    for ticket in (answered, paused):
        await move_back(desk, ticket["number"], resolution_due_at=past)
    # The paused ticket's due time moves on as the pause goes on: not overdue.
    await move_back(desk, paused["number"], sla_paused_at=past - timedelta(minutes=1))
    before = resolution_breaches("P3")

    for _ in range(2):  # the second scan finds nothing new
        await scan(desk)

    events = [e["data"] for e in await desk.events("tickets.sla.breached")]
    assert [(e["number"], e["target"]) for e in events] == [(answered["number"], "resolution")]
    assert resolution_breaches("P3") == before + 1
    shown = await show(desk, answered["number"])
    assert shown["sla"]["resolution"]["state"] == "breached"
    assert shown["sla"]["reaction"]["state"] == "met"
    erik = await desk.as_("erik")
    listed = await desk.client.get("/api/v1/tickets?sla=breached&state=open", headers=erik)
    assert answered["number"] in {t["number"] for t in listed.json()["items"]}


async def test_the_time_resolved_does_not_count_when_a_reply_reopens(desk: Portal) -> None:
    ticket = await desk.ticket("ben", priority="P2")  # react in 2 h, resolve in 12 h
    number = ticket["number"]
    await reply(desk, number, "erik", "Fixed with the new driver.")
    await patch(desk, number, "erik", status="resolved")
    # It was opened 22 hours ago, answered after one and resolved after two, with ten of
    # its twelve hours left; it has been resolved for twenty hours since.
    now = datetime.now(UTC)
    opened, resolved = now - timedelta(hours=22), now - timedelta(hours=20)
    calendar = await calendar_of(desk)
    await move_back(
        desk,
        number,
        created_at=opened,
        first_response_at=opened + timedelta(hours=1),
        sla_due_at=calendar.add(opened, timedelta(hours=2)),
        resolution_due_at=calendar.add(opened, timedelta(hours=12)),
        resolved_at=resolved,
    )
    before = await show(desk, number, "erik")
    left = calendar.between(resolved, at(before["sla"]["resolution"]["due_at"]))

    await reply(desk, number, "ben", "It jams again.")

    reopened = await show(desk, number, "erik")
    assert reopened["status"] == "open" and reopened["sla"]["resolution"]["running"] is True
    due = at(reopened["sla"]["resolution"]["due_at"])
    # The resolution runs on with the time it had left when it was resolved.
    assert abs(due - calendar.add(datetime.now(UTC), left)) < timedelta(minutes=2)
    assert reopened["sla"]["resolution"]["state"] == "ok"
    assert reopened["sla"]["resolution"]["target_hours"] == pytest.approx(12, abs=0.1)
    # The reaction stays as it was: met, its due time unchanged.
    assert reopened["sla"]["reaction"]["state"] == "met"
    assert reopened["sla"]["reaction"]["due_at"] == before["sla"]["reaction"]["due_at"]
    erik = await desk.as_("erik")
    listed = await desk.client.get("/api/v1/tickets?sla=breached&state=open", headers=erik)
    assert number not in {t["number"] for t in listed.json()["items"]}
    await scan(desk)
    assert number not in {e["data"]["number"] for e in await desk.events("tickets.sla.breached")}
