"""What an export is made of, apart from the libraries that write the files: openpyxl
and fpdf (with fontTools) hold about 28 MB, loaded on a process's first export rather
than in every process at start."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import IO, Any


@dataclass(frozen=True)
class Sheet:
    """One table of a workbook: its tab's title, (header, width) per column, the rows."""

    title: str
    columns: list[tuple[str, int]]
    rows: AsyncIterator[list[Any]]


def chunks(handle: IO[bytes], size: int = 64 * 1024) -> Iterator[bytes]:
    """A written file, streamed, and closed (deleted, for a temporary one) at the end."""
    try:
        while data := handle.read(size):
            yield data
    finally:
        handle.close()
