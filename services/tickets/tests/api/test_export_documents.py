"""The exports are documents a customer forwards to their manager: the Excel list with
readable words, sensible columns, a filter and a frozen header; the PDF with a title
block, every fact of the ticket under clear headings (the SLA's reaction and resolution
targets, a pause while the desk waits for the customer), and its public thread only."""

from __future__ import annotations

import io
from datetime import datetime

from files_harness import png
from files_harness import upload as upload_file
from openpyxl import load_workbook
from portal_harness import Portal
from pypdf import PdfReader

GUIDE = [
    {"id": "machine", "label": "Which machine?", "label_de": "Welche Maschine?", "type": "text"},
    {
        "id": "stopped",
        "label": "Is production stopped?",
        "type": "choice",
        "choices": ["yes", "no"],
    },
]


async def _xlsx(world: Portal, lang: str):
    r = await world.client.get(
        f"/api/v1/tickets/export.xlsx?lang={lang}", headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    return load_workbook(io.BytesIO(r.content)).active


async def test_excel_export_shows_labels_with_filter_widths_and_frozen_header(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    await world.ticket("ben", title="Neue Schnittstelle", category="change_request")
    await world.ticket("ben", title="Drucker", category="incident")
    for lang, change, incident in (
        ("de", "Änderungsantrag", "Störung"),
        ("en", "Change request", "Incident"),
    ):
        sheet = await _xlsx(world, lang)
        rows = list(sheet.iter_rows(values_only=True))
        header = rows[0]
        category = header.index("Kategorie" if lang == "de" else "Category")
        assert {row[category] for row in rows[1:]} == {change, incident}
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(header)).column_letter}3"
        widths = {
            header[i]: sheet.column_dimensions[sheet.cell(1, i + 1).column_letter].width
            for i in range(len(header))
        }
        assert widths[header[1]] >= 40  # the title has room to be read
        assert all(w and w >= 8 for w in widths.values())
        # Dates are real dates, in the business time zone the header names.
        created = header.index(next(h for h in header if "Europe/Berlin" in str(h)))
        cell = sheet.cell(2, created + 1)
        assert isinstance(cell.value, datetime) and cell.is_date


async def test_pdf_export_is_a_complete_document_without_internal_notes(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    r = await world.client.post(
        "/api/v1/ticket-templates",
        json={
            "group": "incident_report",
            "name": "Machine down",
            "guide": GUIDE,
            "subject_area": None,
        },
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    template = r.json()["id"]
    r = await world.client.put(
        "/api/v1/ticket-taxonomy/Mechanik",
        json={"name": "Mechanik", "subtypes": []},
        headers=await world.admin(),
    )
    assert r.status_code in (200, 201), r.text
    up = await upload_file(world, "ben", "fehlerbild.png", png(100))
    assert up.status_code == 201, up.text
    await world.settle()
    asset = await world.client.post(
        "/api/v1/assets",
        json={"organization_id": world.orgs["acme"], "name": "Presse 2", "serial_number": "A-4711"},
        headers=await world.admin(),
    )
    assert asset.status_code == 201, asset.text
    t = await world.ticket(
        "ben",
        title="Presse 2 steht",
        description="Seit heute früh.",
        template_id=template,
        guide_answers={"machine": "Presse 2", "stopped": "yes"},
        product="Hydraulikpresse HP-200",
        asset_id="A-4711",
        subject_area="Mechanik",
        priority="P2",
        attachment_ids=[up.json()["id"]],
    )
    erik = await world.as_("erik")
    path = f"/api/v1/tickets/{t['number']}/articles"
    await world.client.post(path, json={"body": "TOP-SECRET-NOTE", "internal": True}, headers=erik)
    await world.client.post(path, json={"body": "Wir schicken einen Techniker."}, headers=erik)
    # Waiting for the customer pauses the clock; the document says so.
    r = await world.client.patch(
        f"/api/v1/tickets/{t['number']}", json={"status": "waiting_customer"}, headers=erik
    )
    assert r.status_code == 200, r.text

    for user in ("ben", "erik"):
        for lang, words in (
            (
                "de",
                [
                    "Organisation",
                    "Acme",
                    "Priorität",
                    "Themenbereich",
                    "Mechanik",
                    "Produkt",
                    "Hydraulikpresse HP-200",
                    "Anlage",
                    "A-4711",
                    "Angaben aus dem Gesprächsleitfaden",
                    "Which machine?",
                    "Presse 2",
                    "Service-Level (SLA)",
                    "Erste Reaktion",
                    "eingehalten, beantwortet",
                    "Lösung",
                    "pausiert, fällig",
                    "Pausiert",
                    "wartet seit",
                    "Vertrag",
                    "Anhänge",
                    "fehlerbild.png",
                    "Verlauf",
                    "Wir schicken einen Techniker.",
                ],
            ),
            (
                "en",
                [
                    "Organization",
                    "Subject area",
                    "Product",
                    "Asset",
                    "Conversation guide",
                    "Service level (SLA)",
                    "First reaction",
                    "met, answered",
                    "Resolution",
                    "paused, due",
                    "Paused",
                    "waiting for the customer's answer since",
                    "Contract",
                    "Attachments",
                    "fehlerbild.png",
                    "Thread",
                ],
            ),
        ):
            r = await world.client.get(
                f"/api/v1/tickets/{t['number']}/export.pdf?lang={lang}",
                headers=await world.as_(user),
            )
            assert r.status_code == 200, r.text
            text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
            assert t["number"] in text and "Presse 2 steht" in text
            missing = [w for w in words if w not in text]
            assert missing == [], (lang, missing)
            assert "TOP-SECRET-NOTE" not in text
