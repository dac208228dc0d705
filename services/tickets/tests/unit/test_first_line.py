"""The list's first line of a description: the first line with content, cut to 200."""

from __future__ import annotations

import pytest

from portal_tickets.ticket.presenter import _first_line


@pytest.mark.parametrize(
    ("description", "first"),
    [
        ("", ""),
        (" \n\t\n", ""),
        ("Printer jams\nsecond", "Printer jams"),
        ("\n\n  indented line\nnext", "  indented line"),
        ("\r\n\r\nWindows line\r\nnext", "Windows line"),
        ("\rold Mac\rnext", "old Mac"),
        ("\u2028\u2028after a line separator", "after a line separator"),
        (" \n" * 5000 + "late", "late"),
        ("y" * 500, "y" * 200),
        ("\n" + " " * 300 + "far right", " " * 200),
    ],
)
def test_the_first_line_with_content(description: str, first: str) -> None:
    assert _first_line(description) == first
