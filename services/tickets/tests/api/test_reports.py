"""Reports: tickets opened and closed per week, by priority and category, and reaction
times against the SLA, scoped like the ticket lists, on PostgreSQL and SQLite."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from portal_harness import Portal
from sqlalchemy import select, update

from portal_tickets.reports.service import week_starts
from portal_tickets.ticket.models import Ticket

HOUR = timedelta(hours=1)


async def _set(world: Portal, number: str, **values: Any) -> None:
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).where(Ticket.number == number).values(**values))
        await s.commit()


async def _created_at(world: Portal, number: str) -> datetime:
    async with world.tickets.session_factory() as s:
        value = await s.scalar(select(Ticket.created_at).where(Ticket.number == number))
    assert value is not None
    return value


async def _answer(world: Portal, number: str) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "On it"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201, r.text


async def _report(world: Portal, user: str, query: str = "") -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/reports{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()


async def _check_report(world: Portal) -> None:
    now = datetime.now(UTC)
    t1 = (await world.ticket("ben", priority="P1", category="incident"))["number"]
    t2 = (await world.ticket("ben", priority="P2", category="question"))["number"]
    t3 = (await world.ticket("ben", priority="P2", category="incident"))["number"]
    await world.ticket("ben", priority="P3", category="service_request")  # still waiting
    t5 = (await world.ticket("anna", priority="P4", category="change_request"))["number"]
    old = (await world.ticket("ben", priority="P1"))["number"]
    await world.ticket("carla", priority="P1")  # Globex has no contract: P4
    await world.ticket("dan")
    for number in (t1, t2, t3):
        await _answer(world, number)
    r = await world.client.post(f"/api/v1/tickets/{t1}/close", headers=await world.as_("ben"))
    assert r.status_code == 200, r.text

    three_weeks_ago = now - timedelta(weeks=3)
    await _set(world, old, created_at=now - timedelta(weeks=20))
    await _set(
        world,
        t2,
        created_at=three_weeks_ago,
        first_response_at=three_weeks_ago + HOUR,
        sla_due_at=three_weeks_ago + 8 * HOUR,
    )
    c1, c3 = await _created_at(world, t1), await _created_at(world, t3)
    await _set(world, t1, first_response_at=c1 + HOUR / 2, sla_due_at=c1 + 4 * HOUR)
    await _set(world, t3, first_response_at=c3 + 3 * HOUR, sla_due_at=c3 + 2 * HOUR)
    await _set(world, t5, sla_due_at=now - HOUR)

    ben = await _report(world, "ben")
    assert ben["organization"]["id"] == world.orgs["acme"] and ben["organizations"] is None
    assert len(ben["weeks"]) == 12 and ben["opened"] == 5
    assert ben["weeks"][0]["starts_at"].startswith(week_starts(now, 12)[0].date().isoformat())
    assert [(w["opened"], w["closed"]) for w in ben["weeks"]][8:] == [
        (1, 0),
        (0, 0),
        (0, 0),
        (4, 1),
    ]
    assert sum(w["opened"] for w in ben["weeks"][:8]) == 0
    assert ben["by_priority"] == {"P1": 1, "P2": 2, "P3": 1, "P4": 1}
    assert ben["by_category"] == {
        "incident": 2,
        "service_request": 1,
        "change_request": 1,
        "question": 1,
    }
    reaction = {row["priority"]: row for row in ben["reaction"]}
    assert reaction["P1"] == {
        "priority": "P1",
        "met": 1,
        "missed": 0,
        "pending": 0,
        "met_share": 1.0,
        "median_first_reaction_seconds": pytest.approx(1800, abs=1),
    }
    assert (reaction["P2"]["met"], reaction["P2"]["missed"]) == (1, 1)
    assert reaction["P2"]["met_share"] == 0.5
    # The median of one and three hours (an even count: the mean of the middle two).
    assert reaction["P2"]["median_first_reaction_seconds"] == pytest.approx(7200, abs=1)
    assert (reaction["P3"]["pending"], reaction["P3"]["met_share"]) == (1, None)
    assert (reaction["P4"]["missed"], reaction["P4"]["met_share"]) == (1, 0.0)
    assert reaction["P4"]["median_first_reaction_seconds"] is None

    # Four weeks: the ticket of three weeks ago opens the first one.
    short = await _report(world, "ben", "?weeks=4")
    assert [w["opened"] for w in short["weeks"]] == [1, 0, 0, 4]

    # Globex lists only one's own tickets: so does its report. Nothing of Acme's.
    carla = await _report(world, "carla")
    assert carla["opened"] == 1 and carla["by_priority"]["P4"] == 1
    assert carla["organization"]["name"] == "Globex"
    foreign = await world.client.get(
        f"/api/v1/tickets/reports?organization_id={world.orgs['acme']}",
        headers=await world.as_("carla"),
    )
    assert foreign.status_code == 404 and "Acme" not in foreign.text

    # The service desk sees everything, or one organization.
    everything = await _report(world, "erik")
    assert everything["opened"] == 7 and everything["organization"] is None
    assert {o["name"] for o in everything["organizations"]} >= {"Acme", "Globex"}
    globex = await _report(world, "erik", f"?organization_id={world.orgs['globex']}")
    assert globex["opened"] == 2 and globex["organization"]["name"] == "Globex"
    unknown = await world.client.get(
        f"/api/v1/tickets/reports?organization_id={uuid.uuid4()}", headers=await world.as_("erik")
    )
    assert unknown.status_code == 404


@pytest.mark.integration
async def test_report_on_postgresql(world: Portal) -> None:
    await _check_report(world)


async def test_report_on_sqlite(sqlite_world: Portal) -> None:
    await _check_report(sqlite_world)


async def test_report_needs_a_signed_in_caller(sqlite_world: Portal) -> None:
    r = await sqlite_world.client.get("/api/v1/tickets/reports")
    assert r.status_code == 401
    bad = await sqlite_world.client.get(
        "/api/v1/tickets/reports?weeks=60", headers=await sqlite_world.as_("ben")
    )
    assert bad.status_code == 422
