"""Type detection from content and file-name cleaning (pure)."""

from __future__ import annotations

import pytest

from portal_files.upload.sniff import safe_name, sniff


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
    ],
)
def test_safe_names(raw: str, clean: str) -> None:
    assert safe_name(raw) == clean
