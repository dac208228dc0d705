"""Time accounting: where an installation switches it on, agents book the minutes a reply
or note took; the ticket sums them for the desk, the desk report per organization and
period; customers never see them and cannot book."""

from __future__ import annotations

import io
import uuid
from datetime import UTC, datetime
from typing import Any

import pytest
from openpyxl import load_workbook
from portal_harness import Portal
from sqlalchemy import update

from portal_tickets.ticket.models import Article

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


async def _booked_on(world: Portal, article_id: str, at: datetime) -> None:
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Article).where(Article.id == uuid.UUID(article_id)).values(created_at=at)
        )
        await s.commit()


@pytest.fixture(params=["sqlite_world", "world"])
def backend_desk(switched_on: None, request: pytest.FixtureRequest) -> Portal:
    """Months are cut in SQL, spelled per database: both are tried."""
    world: Portal = request.getfixturevalue(request.param)
    return world


async def test_the_workbook_sums_minutes_per_ticket_and_per_organization_and_month(
    backend_desk: Portal,
) -> None:
    world = backend_desk
    printer = (await world.ticket("ben", title="Printer offline"))["number"]
    scanner = (await world.ticket("anna", title="Scanner slow"))["number"]
    globex = (await world.ticket("carla", title="Badge reader"))["number"]
    bookings = [
        (printer, 25, datetime(2025, 11, 14, 9, tzinfo=UTC)),
        (printer, 10, datetime(2025, 12, 1, 0, 30, tzinfo=UTC)),
        (scanner, 15, datetime(2025, 12, 31, 23, 50, tzinfo=UTC)),
        (globex, 5, datetime(2025, 11, 30, 23, 59, tzinfo=UTC)),
        (globex, 40, datetime(2026, 1, 1, 0, 5, tzinfo=UTC)),  # after the period
    ]
    for number, minutes, at in bookings:
        r = await write(world, number, "erik", minutes=minutes, internal=True)
        assert r.status_code == 201, r.text
        await _booked_on(world, r.json()["id"], at)

    r = await world.client.get(
        "/api/v1/tickets/reports/desk.xlsx",
        params={"since": "2025-11-01", "until": "2025-12-31", "lang": "de"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == [
        "Report",
        "Zeit je Ticket",
        "Zeit je Monat",
        "Zufriedenheit je Monat",
    ]
    report = {row[0]: row[-1] for row in book["Report"].iter_rows(values_only=True)}
    assert (report["Acme"], report["Globex"], report["Gesamt"]) == (50, 5, 55)

    per_ticket = list(book["Zeit je Ticket"].iter_rows(values_only=True))
    assert per_ticket[0] == ("Nummer", "Titel", "Organisation", "Gebuchte Minuten")
    assert sorted(per_ticket[1:-1]) == sorted(
        [
            (printer, "Printer offline", "Acme", 35),
            (scanner, "Scanner slow", "Acme", 15),
            (globex, "Badge reader", "Globex", 5),
        ]
    )
    assert per_ticket[-1] == ("Gesamt", None, None, 55)

    per_month = list(book["Zeit je Monat"].iter_rows(values_only=True))
    assert per_month == [
        ("Organisation", "2025-11", "2025-12", "Gesamt"),
        ("Acme", 25, 25, 50),
        ("Globex", 5, 0, 5),
        ("Gesamt", 30, 25, 55),
    ]

    english = await world.client.get(
        "/api/v1/tickets/reports/desk.xlsx",
        params={"since": "2025-12-01", "until": "2026-01-31"},
        headers=await world.as_("erik"),
    )
    book = load_workbook(io.BytesIO(english.content))
    assert book.sheetnames == [
        "Report",
        "Time per ticket",
        "Time per month",
        "Satisfaction per month",
    ]
    assert list(book["Time per month"].iter_rows(values_only=True)) == [
        ("Organization", "2025-12", "2026-01", "Total"),
        ("Acme", 25, 0, 25),
        ("Globex", 0, 40, 40),
        ("Total", 25, 40, 65),
    ]


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
    # Without time accounting the desk's workbook has no time sheets.
    r = await world.client.get("/api/v1/tickets/reports/desk.xlsx", headers=await world.as_("erik"))
    assert load_workbook(io.BytesIO(r.content)).sheetnames == ["Report", "Satisfaction per month"]
