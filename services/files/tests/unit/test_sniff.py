"""Type detection from content, PDF structure and file-name cleaning (pure)."""

from __future__ import annotations

import pytest

from portal_files.upload.sniff import display_name, pdf_structure_ok, safe_name, sniff


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.4\n...", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "image/png"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
        (b"GIF89a\x01\x00", "image/gif"),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", "image/webp"),
        (b"PK\x03\x04\x14\x00", "application/zip"),
        ("Grüße aus dem Log\r\n\tZeile 2".encode(), "text/plain"),
        (b"MZ\x90\x00", None),
        (b"\x7fELF\x02\x01", None),
        (b"plain text with a \x00 byte", None),
        (b"\xff\xfe\xfd not utf-8", None),
        (b"", None),
    ],
)
def test_sniffing(head: bytes, expected: str | None) -> None:
    assert sniff(head, complete=True) == expected


def test_text_cut_inside_a_character_is_still_text() -> None:
    head = ("ä" * 2048).encode()[:4095]  # ends in the middle of a two-byte character
    assert sniff(head, complete=False) == "text/plain"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\ben\\shot.png", "shot.png"),
        ("bell\x07and\x1bescape.txt", "bellandescape.txt"),
        ('what?<is>"this"|.txt', "what__is__this__.txt"),
        ("   ", "file"),
        ("..", "file"),
        ("a" * 250 + ".jpeg", "a" * 195 + ".jpeg"),
        ("nul\x00and\x85next.txt", "nulandnext.txt"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("\u2066\u2067\u2068x\u2069\u202a\u202b\u202c\u202d.png", "x.png"),
        ("left\u200eright\u200f.pdf", "leftright.pdf"),
        ("zero\u200bwidth\ufeff.txt", "zerowidth.txt"),
        ("line\u2028break\u2029.txt", "linebreak.txt"),
        ("none\uffff.txt", "none.txt"),
        ("\u202e", "file"),
        ("Übersicht März.png", "Übersicht März.png"),
    ],
)
def test_safe_names(raw: str, clean: str) -> None:
    assert safe_name(raw) == clean


def test_display_names_keep_what_was_typed_but_nothing_invisible() -> None:
    assert display_name("../Rechnung \u202egnp.exe") == "../Rechnung gnp.exe"
    assert display_name("\x00\u2067") == "file"


def _pdf(body: bytes) -> tuple[bytes, bytes]:
    return body[:4096], body[-1024:]


@pytest.mark.parametrize(
    ("body", "ok"),
    [
        (b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\nstartxref\n9\n%%EOF\n", True),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n12 0 obj\n" + b"x" * 9000 + b"\nstartxref\n1\n%%EOF", True),
        (b"%PDF-1.4\n\x7fELF\x02\x01\x01" + bytes(5000), False),
        (b"%PDF-1.4\nMZ\x90\x00\x03" + bytes(5000), False),
        (b"%PDF-1.4\n1 0 obj\n" + bytes(5000), False),  # no end marker
        (b"%PDF-1.4\n" + bytes(5000) + b"startxref\n1\n%%EOF", False),  # no object
    ],
    ids=["minimal", "padded", "elf", "windows-program", "no-eof", "no-object"],
)
def test_pdf_structure(body: bytes, ok: bool) -> None:
    assert pdf_structure_ok(*_pdf(body)) is ok
