"""Reading an installed-base list: separators, encodings, German and English headers,
and every row checked on its own."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from portal_chassis.errors import InvalidInput
from portal_tickets.assets.csvimport import MAX_ROWS, parse_date, read_rows
from portal_tickets.assets.models import AssetStatus


def codes(row: object) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in row.errors]  # type: ignore[attr-defined]


def test_german_headers_semicolons_and_a_bom() -> None:
    contract = uuid.uuid4()
    data = (
        "\ufeffName;Seriennummer;Produkt;Standort;Installationsdatum;Status;Vertrag;Baujahr\n"
        f"Presse 2;SN-1;HP-200;Halle 3;31.05.2024;aktiv;{contract};2019\n"
        "Roboter;SN-2;;;2024-06-01;retired;;\n"
    ).encode()
    first, second = read_rows(data)
    assert first.errors == [] and first.line == 2 and first.serial_number == "SN-1"
    assert first.values == {
        "name": "Presse 2",
        "product": "HP-200",
        "location": "Halle 3",
        "installed_on": date(2024, 5, 31),
        "status": AssetStatus.ACTIVE,
        "contract_id": contract,
    }
    assert first.attributes == {"Baujahr": "2019"}
    # Empty cells are left out (an update keeps what the asset has).
    assert second.values == {
        "name": "Roboter",
        "installed_on": date(2024, 6, 1),
        "status": AssetStatus.RETIRED,
    }
    assert second.attributes == {}


def test_commas_quotes_and_english_headers() -> None:
    data = (
        b"serial_number,name,location,colour\r\n"
        b'A-1,"Press, big",Hall 1,red\r\n'
        b'A-2,Belt,"Hall 1\nbay 2",\r\n'
        b"A-3,Lift,,\r\n"
    )
    first, second, third = read_rows(data)
    assert first.values == {"name": "Press, big", "location": "Hall 1"}
    assert first.attributes == {"colour": "red"}
    # A line break inside a quoted cell: one record, refused (one line of text per field),
    # and the next record starts a line later.
    assert codes(second) == [("location", "control_characters")]
    assert (first.line, second.line, third.line) == (2, 3, 5)
    assert third.errors == [] and third.values == {"name": "Lift"}


def test_bad_rows_carry_their_reasons_in_both_languages() -> None:
    data = (
        "Seriennummer;Name;Installationsdatum;Status;Vertrag\n"
        "S-1;Eins;31.02.2024;aktiv;\n"
        "S-2;Zwei;2024-01-01;kaputt;\n"
        ";Ohne Nummer;;;\n"
        "S-1;Nochmal Eins;;;\n"
        f"S-5;Fünf;;;{'v' * 101}\n"
        "S-6;Sechs\u0007;;;\n"
        "S-7;Sieben;;;;zu viel\n"
        "\n"
        "S-8;Acht;2024-13-01;;\n"
    ).encode()
    rows = read_rows(data)
    assert [codes(r) for r in rows] == [
        [("installed_on", "invalid_date")],
        [("status", "unknown_status")],
        [("serial_number", "required")],
        [("serial_number", "duplicate_serial")],
        [("contract", "too_long")],
        [("name", "control_characters")],
        [("line", "too_many_cells")],
        [("installed_on", "invalid_date")],
    ]
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7, 8, 10]  # the empty line is skipped
    duplicate = rows[3].errors[0]
    assert "line 2" in duplicate["message"] and "Zeile 2" in duplicate["message_de"]
    assert "Datum" in rows[0].errors[0]["message_de"]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"name;product\nA;B\n", "missing_column"),
        (b"", "missing_column"),
        (b"serial_number;Seriennummer\n1;2\n", "duplicate_column"),
        ("serial_number;name\nS-1;Gr\u00fc\u00dfe\n".encode("latin-1"), "encoding"),
        (
            ("serial_number;" + ";".join(f"c{i}" for i in range(51)) + "\n").encode(),
            "too_many_columns",
        ),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(data: bytes, code: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_rows(data)
    assert [(e["field"], e["code"]) for e in refused.value.extra["errors"]] == [("file", code)]


def test_at_most_ten_thousand_rows() -> None:
    body = "".join(f"S-{i};N\n" for i in range(MAX_ROWS))
    assert len(read_rows(f"serial_number;name\n{body}".encode())) == MAX_ROWS
    with pytest.raises(InvalidInput) as refused:
        read_rows(f"serial_number;name\n{body}S-x;N\n".encode())
    assert refused.value.extra["errors"][0]["code"] == "too_many_rows"


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2024-05-31", date(2024, 5, 31)),
        ("31.05.2024", date(2024, 5, 31)),
        ("1.6.2024", date(2024, 6, 1)),
        ("31.06.2024", None),
        ("2024-5-31", None),
        ("05/31/2024", None),
        ("morgen", None),
    ],
)
def test_dates_iso_or_german(text: str, day: date | None) -> None:
    assert parse_date(text) == day


def test_a_contract_is_named_by_id_or_by_name() -> None:
    contract = uuid.uuid4()
    rows = read_rows(f"Seriennummer;Vertrag\nS-1;{contract}\nS-2;Gold 2026\n".encode())
    assert [(r.errors, r.values) for r in rows] == [
        ([], {"contract_id": contract}),
        ([], {"contract_id": "Gold 2026"}),  # the import looks the name up
    ]
