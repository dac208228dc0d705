"""Excel export of a ticket list: rows written as they are read, never all in memory."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal_tickets.ticket.schemas import TicketRead

HEADERS = {
    "en": ["Number", "Title", "Status", "Priority", "Category", "Contact", "Created", "Updated"],
    "de": [
        "Nummer",
        "Titel",
        "Status",
        "Priorität",
        "Kategorie",
        "Kontakt",
        "Erstellt",
        "Geändert",
    ],
}
STATUS_WORDS = {
    "en": {
        "in_progress": "In progress",
        "answer_expected": "Answer expected",
        "closed": "Closed",
        "postponed": "Postponed",
    },
    "de": {
        "in_progress": "In Bearbeitung",
        "answer_expected": "Antwort erwartet",
        "closed": "Geschlossen",
        "postponed": "Verschoben",
    },
}


def _naive(value: datetime) -> datetime:
    # Excel has no time zones: write UTC wall time (the header says so).
    return value.replace(tzinfo=None)


async def write_workbook(pages: AsyncIterator[list[TicketRead]], language: str) -> IO[bytes]:
    """Write every page into a temporary .xlsx file and return it, rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Tickets")
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    headers = [*HEADERS[language][:-2], *(f"{h} (UTC)" for h in HEADERS[language][-2:])]
    header_cells = []
    for title in headers:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    words = STATUS_WORDS[language]
    async for page in pages:
        for t in page:
            sheet.append(
                [
                    t.number,
                    t.title,
                    words[t.portal_status],
                    t.priority.value,
                    t.category.value,
                    t.contact.name if t.contact else "",
                    _naive(t.created_at),
                    _naive(t.updated_at),
                ]
            )
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


def chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    try:
        while data := handle.read(size):
            yield data
    finally:
        handle.close()
