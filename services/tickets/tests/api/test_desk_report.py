"""The vendor's report per organization, agent group and agent: opened, closed, backlog,
reaction and resolution targets met and missed, medians, escalations; and the workbook."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from openpyxl import load_workbook
from portal_harness import Portal
from sqlalchemy import update

from portal_tickets.ticket.models import Ticket

REPORT = "/api/v1/tickets/reports/desk"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


async def story(world: Portal) -> dict[str, str]:
    """Acme: one ticket answered and resolved in time, one unanswered past its target;
    Globex: one escalated. Erik works the Acme tickets; the first is the Robotics team's."""
    erik = await world.as_("erik")
    r = await world.client.post(
        "/api/v1/agent-groups",
        json={"name": "Robotics", "member_ids": [world.ids["erik"]]},
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    robotics = r.json()["id"]
    done = (await world.ticket("ben", priority="P2"))["number"]
    late = (await world.ticket("ben", priority="P2"))["number"]
    loud = (await world.ticket("carla"))["number"]
    for number in (done, late):
        r = await world.client.patch(
            f"/api/v1/tickets/{number}", json={"assignee_id": world.ids["erik"]}, headers=erik
        )
        assert r.status_code == 200, r.text
    r = await world.client.patch(
        f"/api/v1/tickets/{done}", json={"group_id": robotics}, headers=erik
    )
    assert r.status_code == 200, r.text
    await world.client.post(
        f"/api/v1/tickets/{done}/articles", json={"body": "Fixed."}, headers=erik
    )
    await world.client.patch(f"/api/v1/tickets/{done}", json={"status": "resolved"}, headers=erik)
    async with world.tickets.session_factory() as s:
        past = datetime.now(UTC) - timedelta(minutes=5)
        await s.execute(update(Ticket).where(Ticket.number == late).values(sla_due_at=past))
        await s.commit()
    r = await world.client.post(
        f"/api/v1/tickets/{loud}/escalate",
        json={"body": "Urgent!"},
        headers=await world.as_("carla"),
    )
    assert r.status_code in (200, 201), r.text
    return {"done": done, "late": late, "loud": loud}


async def report(world: Portal, **query: str) -> dict[str, Any]:
    r = await world.client.get(REPORT, params=query, headers=await world.as_("erik"))
    assert r.status_code == 200, r.text
    return r.json()


def row(found: dict[str, Any], name: str | None) -> dict[str, Any]:
    [match] = [r for r in found["rows"] if (r["key"]["name"] if r["key"] else None) == name]
    return match


async def test_figures_per_organization_group_and_agent(backend_world: Portal) -> None:
    world = backend_world
    await story(world)
    by_org = await report(world)
    acme, globex = row(by_org, "Acme"), row(by_org, "Globex")
    assert (acme["opened"], acme["closed"], acme["backlog"]) == (2, 1, 1)
    assert (acme["reaction_met"], acme["reaction_missed"], acme["reaction_met_share"]) == (
        1,
        1,
        0.5,
    )
    assert (acme["resolution_met"], acme["resolution_missed"]) == (1, 0)
    assert (
        acme["median_reaction_seconds"] is not None
        and acme["median_resolution_seconds"] is not None
    )
    assert (globex["opened"], globex["escalated"], globex["backlog"]) == (1, 1, 1)
    assert by_org["total"]["opened"] == 3 and by_org["total"]["escalated"] == 1
    by_agent = await report(world, by="agent")
    assert row(by_agent, "Erik")["opened"] == 2 and row(by_agent, None)["opened"] == 1
    by_group = await report(world, by="group")
    assert row(by_group, "Robotics")["opened"] == 1 and row(by_group, None)["opened"] == 2
    # A period before the tickets: nothing opened, the backlog is still there.
    earlier = await report(world, since="2020-01-01", until="2020-01-31")
    assert earlier["total"]["opened"] == 0 and earlier["total"]["backlog"] == 2


@pytest.mark.integration
async def test_the_workbook_in_german(world: Portal) -> None:
    await story(world)
    r = await world.client.get(
        f"{REPORT}.xlsx", params={"lang": "de"}, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Name", "Eröffnet", "Geschlossen", "Offen")
    acme = next(r for r in rows if r[0] == "Acme")
    assert acme[1:4] == (2, 1, 1)
    assert rows[-1][0] == "Gesamt" and rows[-1][1] == 3


@pytest.mark.integration
async def test_customers_do_not_see_it_and_periods_are_checked(world: Portal) -> None:
    r = await world.client.get(REPORT, headers=await world.as_("anna"))
    assert r.status_code == 404
    r = await world.client.get(
        REPORT,
        params={"since": str(date.today()), "until": str(date.today() - timedelta(days=1))},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "until_before_since"
