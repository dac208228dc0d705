"""Excel export of the list and PDF export of one ticket."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from portal_harness import Portal

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


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
