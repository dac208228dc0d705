"""Excel export of a ticket list: rows written as they are read, never all in memory.

Every text goes in as a text cell: a title such as `=HYPERLINK(...)` stays the words the
customer typed, never a formula Excel would run. Characters XML cannot hold are dropped,
so that a text stored before the API refused them cannot break the file."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal_chassis.text import strip_control_characters
from portal_tickets.export.tables import Sheet
from portal_tickets.export.words import CATEGORY, PORTAL_STATUS, label
from portal_tickets.ticket.schemas import TicketRead

if TYPE_CHECKING:
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

# (English, German, width in characters); the two dates get the time zone appended.
COLUMNS = [
    ("Number", "Nummer", 16),
    ("Title", "Titel", 50),
    ("Status", "Status", 18),
    ("Priority", "Priorität", 10),
    ("Category", "Kategorie", 20),
    ("Contact", "Kontakt", 26),
    ("Created", "Erstellt", 24),
    ("Updated", "Geändert", 24),
]
DATE_FORMAT = "yyyy-mm-dd hh:mm"
HEADER_FILL = PatternFill("solid", start_color="DDE3EA")


def _cell(sheet: WriteOnlyWorksheet, value: Any, zone: ZoneInfo) -> WriteOnlyCell:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return WriteOnlyCell(sheet, value=value)  # a figure: Excel sums and sorts it
    if isinstance(value, datetime):
        # Excel has no time zones: the business zone's wall time (the header names it).
        cell = WriteOnlyCell(sheet, value=value.astimezone(zone).replace(tzinfo=None))
        cell.number_format = DATE_FORMAT
        return cell
    cell = WriteOnlyCell(sheet, value=strip_control_characters(str(value)))
    # Set after the value, which would have made "=..." a formula; the quote prefix
    # keeps Excel from turning the text into one when the cell is edited.
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


async def write_workbook(
    pages: AsyncIterator[list[TicketRead]], language: str, *, zone: str = "UTC"
) -> IO[bytes]:
    """The ticket list as a workbook, rows in the business time zone (named in the header)."""
    names = [de if language == "de" else en for en, de, _ in COLUMNS]
    headers = [*names[:-2], *(f"{h} ({zone})" for h in names[-2:])]
    widths = [width for _, _, width in COLUMNS]
    return await write_table(
        "Tickets", list(zip(headers, widths, strict=True)), _ticket_rows(pages, language), zone=zone
    )


async def write_table(
    title: str, columns: list[tuple[str, int]], rows: AsyncIterator[list[Any]], *, zone: str = "UTC"
) -> IO[bytes]:
    """Write the rows into a temporary .xlsx file and return it, rewound: a table with a
    bold, frozen header row, a filter over every column, and readable widths."""
    return await write_tables([Sheet(title, columns, rows)], zone=zone)


async def write_tables(sheets: Sequence[Sheet], *, zone: str = "UTC") -> IO[bytes]:
    """Several tables, one a tab, in the order given (each as `write_table` writes it)."""
    workbook = Workbook(write_only=True)
    written: list[WriteOnlyWorksheet] = []
    try:
        for table in sheets:
            written.append(await _write_sheet(workbook, table, ZoneInfo(zone)))
    except BaseException:
        for sheet in written:  # the tabs before the failing one are open still
            sheet.close()
        raise
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    return spool


async def _write_sheet(workbook: Workbook, table: Sheet, zone: ZoneInfo) -> WriteOnlyWorksheet:
    sheet = workbook.create_sheet(table.title)
    sheet.freeze_panes = "A2"
    # Widths go before the first row: a write-only sheet writes them with it.
    for index, (_, width) in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    bold, wrap = Font(bold=True), Alignment(vertical="top", wrap_text=True)
    header_cells = []
    for header, _ in table.columns:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font, cell.fill, cell.alignment = bold, HEADER_FILL, wrap
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 1
    try:
        async for row in table.rows:
            sheet.append([_cell(sheet, value, zone) for value in row])
            count += 1
    except BaseException:
        # A refused filter surfaces with the first page: end the half-written sheet, or
        # its writer complains when it is collected.
        sheet.close()
        raise
    # Written when the sheet closes, so it can span the rows now that they are known.
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{count}"
    return sheet


async def _ticket_rows(
    pages: AsyncIterator[list[TicketRead]], language: str
) -> AsyncIterator[list[Any]]:
    async for page in pages:
        for t in page:
            yield [
                t.number,
                t.title,
                label(PORTAL_STATUS, language, t.portal_status),
                t.priority.value,
                label(CATEGORY, language, t.category.value),
                t.contact.name if t.contact else "",
                t.created_at,
                t.updated_at,
            ]
