"""Excel export of the list and PDF export of one ticket."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from portal_harness import Portal
from sqlalchemy import update

from portal_tickets.ticket.models import Article, Ticket

pytestmark = pytest.mark.integration


async def test_excel_export_holds_exactly_the_filtered_list(world: Portal) -> None:
    keep = await world.ticket("ben", title="Ölpumpe defekt", priority="P1")
    await world.ticket("ben", title="Other", priority="P3")
    await world.ticket("carla", title="Globex only")
    r = await world.client.get(
        "/api/v1/tickets/export.xlsx?priority=P1&lang=de", headers=await world.as_("ben")
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Nummer", "Titel", "Status", "Priorität")
    assert [row[:4] for row in rows[1:]] == [
        (keep["number"], "Ölpumpe defekt", "In Bearbeitung", "P1")
    ]


async def test_excel_export_pages_through_long_lists(world: Portal, monkeypatch) -> None:
    from portal_tickets.ticket import views

    monkeypatch.setattr(views, "EXPORT_PAGE", 2)
    made = {(await world.ticket("ben", title=f"T{i}"))["number"] for i in range(5)}
    r = await world.client.get(
        "/api/v1/tickets/export.xlsx?scope=mine", headers=await world.as_("ben")
    )
    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
    assert {row[0] for row in list(sheet.iter_rows(values_only=True))[1:]} == made


async def test_pdf_export_has_public_correspondence_only(world: Portal) -> None:
    t = await world.ticket(
        "ben", title="Roboterarm zittert", description="Seit Montag \u2013 3 Achsen"
    )
    path = f"/api/v1/tickets/{t['number']}/articles"
    erik = await world.as_("erik")
    await world.client.post(path, json={"body": "TOP-SECRET-NOTE", "internal": True}, headers=erik)
    await world.client.post(path, json={"body": "Bitte Firmware aktualisieren."}, headers=erik)
    for user in ("ben", "erik"):
        r = await world.client.get(
            f"/api/v1/tickets/{t['number']}/export.pdf", headers=await world.as_(user)
        )
        assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
        assert r.content.startswith(b"%PDF-")
        text = _pdf_text(r.content)
        assert "Roboterarm zittert" in text and "Bitte Firmware aktualisieren." in text
        assert "TOP-SECRET-NOTE" not in text
    other = await world.client.get(
        f"/api/v1/tickets/{t['number']}/export.pdf", headers=await world.as_("carla")
    )
    assert other.status_code == 404


async def test_control_characters_are_refused_in_titles_and_dropped_from_bodies(
    world: Portal,
) -> None:
    ben = await world.as_("ben")
    for title in ("Printer\x00jams", "Printer\x1bjams", "Printer\njams"):
        r = await world.client.post("/api/v1/tickets", json={"title": title}, headers=ben)
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "title"
        assert r.json()["errors"][0]["code"] == "control_characters"
    t = await world.ticket("ben", description="Line one\r\n\tLine\x00 two\x1b[31m")
    assert t["description"] == "Line one\r\n\tLine two[31m"
    r = await world.client.post(
        f"/api/v1/tickets/{t['number']}/articles", json={"body": "\x00\x07"}, headers=ben
    )
    assert r.status_code == 422  # nothing left of the message


async def test_exports_survive_control_characters_already_stored(world: Portal) -> None:
    t = await world.ticket("ben", title="Placeholder", description="Placeholder")
    await world.client.post(
        f"/api/v1/tickets/{t['number']}/articles",
        json={"body": "Hello"},
        headers=await world.as_("ben"),
    )
    # Rows written before the API refused control characters.
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket)
            .where(Ticket.number == t["number"])
            .values(title="Bad\x01title\x0b", description="Bad\x01 text\x1f")
        )
        await s.execute(update(Article).values(body="Body\x02 with\x08 controls"))
        await s.commit()
    for user in ("ben", "erik"):  # the organization's export and the agent's
        r = await world.client.get(
            "/api/v1/tickets/export.xlsx?scope=organization", headers=await world.as_(user)
        )
        assert r.status_code == 200, r.text
        rows = list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))
        assert [row[:2] for row in rows[1:]] == [(t["number"], "Badtitle")]
    r = await world.client.get(
        f"/api/v1/tickets/{t['number']}/export.pdf", headers=await world.as_("ben")
    )
    assert r.status_code == 200
    assert "Badtitle" in _pdf_text(r.content)


async def test_excel_cells_are_text_never_formulas(world: Portal) -> None:
    formula = '=HYPERLINK("http://evil.example","click")'
    t = await world.ticket("ben", title=formula)
    r = await world.client.get("/api/v1/tickets/export.xlsx", headers=await world.as_("ben"))
    sheet = load_workbook(io.BytesIO(r.content)).active
    [row] = [row for row in sheet.iter_rows(min_row=2) if row[0].value == t["number"]]
    title = row[1]
    assert title.data_type == "s" and title.value == formula
    assert all(cell.data_type != "f" for cell in row)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
