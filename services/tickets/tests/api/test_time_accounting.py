"""Time accounting: where an installation switches it on, agents book the minutes a reply
or note took; the ticket sums them for the desk, the desk report per organization and
period; customers never see them and cannot book."""

from __future__ import annotations

from typing import Any

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


@pytest.fixture
def switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETS_TIME_ACCOUNTING", "true")


@pytest.fixture
async def desk(switched_on: None, world: Portal) -> Portal:
    return world


async def write(world: Portal, number: str, user: str, **body: Any) -> Any:
    return await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "Checked the logs", **body},
        headers=await world.as_(user),
    )


async def test_minutes_are_summed_per_ticket_and_in_the_report(desk: Portal) -> None:
    acme = (await desk.ticket("ben"))["number"]
    globex = (await desk.ticket("carla"))["number"]
    assert (await write(desk, acme, "erik", minutes=25)).status_code == 201
    assert (await write(desk, acme, "erik", minutes=10, internal=True)).status_code == 201
    assert (await write(desk, globex, "erik", minutes=5)).status_code == 201
    erik, ben = await desk.as_("erik"), await desk.as_("ben")
    shown = await desk.client.get(f"/api/v1/tickets/{acme}", headers=erik)
    assert shown.json()["time_spent_minutes"] == 35
    thread = await desk.client.get(f"/api/v1/tickets/{acme}/articles", headers=erik)
    assert [a["minutes"] for a in thread.json()["items"]] == [25, 10]
    # The customer sees neither the sum nor the minutes of the answer.
    assert (await desk.client.get(f"/api/v1/tickets/{acme}", headers=ben)).json()[
        "time_spent_minutes"
    ] is None
    theirs = await desk.client.get(f"/api/v1/tickets/{acme}/articles", headers=ben)
    assert [a["minutes"] for a in theirs.json()["items"]] == [None]
    report = await desk.client.get("/api/v1/tickets/reports/desk", headers=erik)
    minutes = {r["key"]["name"]: r["minutes"] for r in report.json()["rows"]}
    assert minutes == {"Acme": 35, "Globex": 5}
    assert report.json()["total"]["minutes"] == 40


async def test_customers_cannot_book_and_bounds_hold(desk: Portal) -> None:
    number = (await desk.ticket("ben"))["number"]
    r = await write(desk, number, "ben", minutes=5)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "staff_only"
    assert (await write(desk, number, "erik", minutes=0)).status_code == 422
    assert (await write(desk, number, "erik", minutes=1441)).status_code == 422


async def test_switched_off_minutes_are_refused(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    r = await write(world, number, "erik", minutes=5)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "time_accounting_off"
    assert (await write(world, number, "erik")).status_code == 201
