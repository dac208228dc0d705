"""Excel export of a ticket list: rows written as they are read, never all in memory.

Every text goes in as a text cell: a title such as `=HYPERLINK(...)` stays the words the
customer typed, never a formula Excel would run. Characters XML cannot hold are dropped,
so that a text stored before the API refused them cannot break the file."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from portal_chassis.text import strip_control_characters
from portal_tickets.ticket.schemas import TicketRead

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

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


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    if isinstance(value, datetime):
        return WriteOnlyCell(sheet, value=_naive(value))
    cell = WriteOnlyCell(sheet, value=strip_control_characters(str(value)))
    # Set after the value, which would have made "=..." a formula; the quote prefix
    # keeps Excel from turning the text into one when the cell is edited.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


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
            values = [
                t.number,
                t.title,
                words[t.portal_status],
                t.priority.value,
                t.category.value,
                t.contact.name if t.contact else "",
                t.created_at,
                t.updated_at,
            ]
            sheet.append([_cell(sheet, value) for value in values])
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
