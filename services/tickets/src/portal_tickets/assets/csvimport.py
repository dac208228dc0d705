"""Reading an installed-base list (CSV) into rows to create or update: UTF-8 with or
without BOM, `;` or `,` separated, headers in English or German; every column the
portal does not know becomes an attribute. Each row is checked on its own, so a bad row
is refused with its reasons while the others still land."""

from __future__ import annotations

import csv
import io
import re
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal_chassis.errors import InvalidInput
from portal_chassis.text import has_control_characters
from portal_tickets.assets.models import AssetStatus

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 10_000
MAX_ATTRIBUTES = 50

# Header (case-folded) → field.
HEADERS: dict[str, str] = {
    "name": "name",
    "bezeichnung": "name",
    "serial_number": "serial_number",
    "serial number": "serial_number",
    "seriennummer": "serial_number",
    "product": "product",
    "produkt": "product",
    "location": "location",
    "standort": "location",
    "installed_on": "installed_on",
    "installationsdatum": "installed_on",
    "status": "status",
    "contract": "contract_id",
    "contract_id": "contract_id",
    "vertrag": "contract_id",
}
LIMITS = {"name": 200, "serial_number": 100, "product": 200, "location": 200, "contract": 100}
STATUSES: dict[str, AssetStatus] = {
    "active": AssetStatus.ACTIVE,
    "aktiv": AssetStatus.ACTIVE,
    "inactive": AssetStatus.INACTIVE,
    "inaktiv": AssetStatus.INACTIVE,
    "retired": AssetStatus.RETIRED,
    "ausgemustert": AssetStatus.RETIRED,
}
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def error(field: str, code: str, en: str, de: str) -> dict[str, str]:
    return {"field": field, "message": en, "message_de": de, "code": code}


def file_error(code: str, en: str, de: str) -> InvalidInput:
    return InvalidInput([error("file", code, en, de)], detail=f"{en} / {de}")


@dataclass
class ImportRow:
    line: int
    serial_number: str | None
    values: dict[str, Any] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    errors: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Column:
    index: int
    field: str | None  # None: an attribute named `name`
    name: str


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise file_error(
            "encoding", "The file is not UTF-8 text.", "Die Datei ist kein UTF-8-Text."
        ) from exc


def delimiter(text: str) -> str:
    """`;` or `,`: whichever the header line holds more of (a header has no quoted
    separators in practice, and German spreadsheets write `;`)."""
    header = text.split("\n", 1)[0]
    return ";" if header.count(";") > header.count(",") else ","


def columns(header: list[str]) -> list[Column]:
    found: list[Column] = []
    seen: set[str] = set()
    for index, raw in enumerate(header):
        name = raw.strip()
        if not name:
            continue
        known = HEADERS.get(name.casefold())
        key = known or name
        if key.casefold() in seen:
            raise file_error(
                "duplicate_column",
                f"The column {name!r} appears twice.",
                f"Die Spalte {name!r} kommt doppelt vor.",
            )
        if len(name) > 100 or has_control_characters(name):
            raise file_error(
                "bad_column", f"Invalid column name {name[:100]!r}.", "Ungültiger Spaltenname."
            )
        seen.add(key.casefold())
        found.append(Column(index, known, name))
    if not any(c.field == "serial_number" for c in found):
        raise file_error(
            "missing_column",
            "The file needs a column serial_number (or Seriennummer).",
            "Die Datei braucht eine Spalte Seriennummer (oder serial_number).",
        )
    if sum(c.field is None for c in found) > MAX_ATTRIBUTES:
        raise file_error(
            "too_many_columns",
            f"At most {MAX_ATTRIBUTES} further columns.",
            f"Höchstens {MAX_ATTRIBUTES} weitere Spalten.",
        )
    return found


def parse_date(value: str) -> date | None:
    """ISO (2024-05-31) or German (31.05.2024); None if neither."""
    try:
        if match := GERMAN_DATE.match(value):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def _text_error(name: str, value: str) -> dict[str, str] | None:
    if has_control_characters(value):
        return error(
            name, "control_characters", "Must be one line of text.", "Nur eine Zeile Text."
        )
    limit = LIMITS.get(name, 500)
    if len(value) > limit:
        return error(
            name,
            "too_long",
            f"At most {limit} characters.",
            f"Höchstens {limit} Zeichen.",
        )
    return None


def _value(name: str, value: str) -> tuple[Any, dict[str, str] | None]:
    """A cell's value for field `name`, or the reason it is refused."""
    if name == "installed_on":
        day = parse_date(value)
        if day is None:
            return None, error(
                name,
                "invalid_date",
                f"Not a date: {value[:40]!r} (use 2024-05-31 or 31.05.2024).",
                f"Kein Datum: {value[:40]!r} (2024-05-31 oder 31.05.2024).",
            )
        return day, None
    if name == "status":
        status = STATUSES.get(value.casefold())
        if status is None:
            return None, error(
                name,
                "unknown_status",
                f"Unknown status {value[:40]!r} (active, inactive, retired).",
                f"Unbekannter Status {value[:40]!r} (aktiv, inaktiv, ausgemustert).",
            )
        return status, None
    if name == "contract_id":
        # A contract's id, or else its name; the import finds it among the organization's.
        try:
            return uuid.UUID(value), None
        except ValueError:
            return value, _text_error("contract", value)
    return value, _text_error(name, value)


def read_row(cells: list[str], cols: list[Column], line: int) -> ImportRow:
    row = ImportRow(line=line, serial_number=None)
    width = max(c.index for c in cols) + 1
    if any(cell.strip() for cell in cells[width:]):
        row.errors.append(
            error("line", "too_many_cells", "More cells than columns.", "Mehr Zellen als Spalten.")
        )
    for col in cols:
        value = cells[col.index].strip() if col.index < len(cells) else ""
        if col.field == "serial_number":
            row.serial_number = value or None
        if not value:
            continue
        if col.field is None:
            problem = _text_error(col.name, value)
            if problem is None:
                row.attributes[col.name] = value
        elif col.field == "serial_number":
            problem = _text_error(col.field, value)
        else:
            row.values[col.field], problem = _value(col.field, value)
        if problem is not None:
            row.errors.append(problem)
    if row.serial_number is None:
        row.errors.append(
            error(
                "serial_number",
                "required",
                "A serial number is required.",
                "Die Seriennummer fehlt.",
            )
        )
    return row


def read_rows(data: bytes) -> list[ImportRow]:
    """The file's rows, each with its values or its errors; a duplicate serial number
    in the file refuses every occurrence after the first. Raises InvalidInput for a
    file that cannot be read at all."""
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter(text))
    try:
        cols = columns(next(reader, []))
        rows: list[ImportRow] = []
        first_line: dict[str, int] = {}
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise file_error(
                    "too_many_rows",
                    f"At most {MAX_ROWS} rows per file.",
                    f"Höchstens {MAX_ROWS} Zeilen je Datei.",
                )
            row = read_row(cells, cols, line)
            if row.serial_number is not None and row.serial_number in first_line:
                before = first_line[row.serial_number]
                row.errors.append(
                    error(
                        "serial_number",
                        "duplicate_serial",
                        f"The serial number is in line {before} already.",
                        f"Die Seriennummer steht schon in Zeile {before}.",
                    )
                )
            elif row.serial_number is not None:
                first_line[row.serial_number] = line
            rows.append(row)
    except csv.Error as exc:
        raise file_error(
            "unreadable", f"Not a readable CSV file: {exc}", "Keine lesbare CSV-Datei."
        ) from exc
    return rows
