"""A multipart form read while it arrives, so that a file sent without script passes
through the gateway without being held whole."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from python_multipart.multipart import MultipartParser, parse_options_header

FIELD_LIMIT = 4096  # bytes of a plain field in a streamed upload form


class FormStream:
    """A multipart form read while it arrives: the small fields before the file, then
    the file's bytes, never held whole."""

    def __init__(self, body: AsyncIterator[bytes], content_type: str, file_field: str) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary", b"")
        self.valid = kind == b"multipart/form-data" and bool(boundary)
        self.body = body.__aiter__()
        self.file_field = file_field
        self.filename = ""
        self._events: deque[tuple[str, Any]] = deque()
        self._headers: dict[bytes, bytes] = {}
        self._header = [b"", b""]
        if self.valid:
            self.parser = MultipartParser(
                boundary,
                {
                    "on_part_begin": self._headers.clear,
                    "on_header_field": lambda d, s, e: self._grow(0, d[s:e]),
                    "on_header_value": lambda d, s, e: self._grow(1, d[s:e]),
                    "on_header_end": self._header_end,
                    "on_headers_finished": self._headers_done,
                    "on_part_data": lambda d, s, e: self._events.append(("data", d[s:e])),
                    "on_part_end": lambda: self._events.append(("end", None)),
                },
                max_header_count=20,
                max_header_size=8192,
            )

    def _grow(self, index: int, data: bytes) -> None:
        self._header[index] += data

    def _header_end(self) -> None:
        self._headers[self._header[0].lower()] = self._header[1]
        self._header = [b"", b""]

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        raw = options.get(b"filename")
        filename = raw.decode("utf-8", "replace") if raw is not None else None
        self._events.append(("begin", (name, filename)))

    async def _next(self) -> tuple[str, Any] | None:
        while not self._events:
            chunk = await anext(self.body, None)
            if chunk is None:
                return None
            if chunk:
                self.parser.write(chunk)
        return self._events.popleft()

    async def fields(self) -> dict[str, str]:
        """The plain fields up to the file part (whose name is then in `filename`)."""
        values: dict[str, str] = {}
        if not self.valid:
            return values
        current: str | None = None
        value = b""
        while (event := await self._next()) is not None:
            kind, data = event
            if kind == "begin":
                name, filename = data
                if filename is not None and name == self.file_field:
                    # Browsers may send a whole path; a form without a file sends "".
                    self.filename = re.split(r"[\\/]", filename)[-1].strip()
                    return values
                current, value = (name if filename is None else None), b""
            elif kind == "data" and current is not None:
                value = (value + data)[:FIELD_LIMIT]
            elif kind == "end" and current is not None:
                values[current] = value.decode("utf-8", "replace")
                current = None
        return values

    async def file_chunks(self) -> AsyncIterator[bytes]:
        while (event := await self._next()) is not None:
            kind, data = event
            if kind == "data":
                yield data
            elif kind == "end":
                return
