"""Receiving one uploaded file as a stream: parse the multipart body incrementally,
decide the type from the first bytes, count and hash on the way, and hand the bytes to
the blob store. Nothing is ever held whole in memory."""

from __future__ import annotations

import asyncio
import hashlib
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Protocol

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from portal_chassis.errors import DomainError
from portal_files.storage.base import BlobStore
from portal_files.upload.images import HEADER_BYTES, PILLOW_FORMATS, read_header
from portal_files.upload.sniff import (
    PDF_TAIL_BYTES,
    SNIFF_BYTES,
    display_name,
    pdf_structure_ok,
    safe_name,
    sniff,
)


class TooLarge(DomainError):
    status, slug, title = 413, "file-too-large", "File too large"


class UnsupportedType(DomainError):
    status, slug, title = 415, "unsupported-file-type", "File type not allowed"


class BadUpload(DomainError):
    status, slug, title = 422, "validation-error", "Invalid upload"


class MalformedUpload(DomainError):
    """A body that is not well-formed multipart (broken boundary or part headers)."""

    status, slug, title = 400, "malformed-upload", "Malformed upload"

    def __init__(self) -> None:
        super().__init__("The multipart body cannot be read; send the file again.")


@dataclass
class Received:
    name: str
    original_name: str
    size: int
    sha256: str
    content_type: str


@dataclass
class _Tally:
    """What the stream turned out to be, counted while it passes."""

    size: int = 0
    content_type: str = ""


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    field_name: str = ""
    filename: str | None = None


class MultipartUpload:
    """Pulls the body stream through python-multipart and yields the bytes of the one
    part named `field` (the file), with its file name."""

    def __init__(self, body: AsyncIterator[bytes], content_type: str, field: str) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise BadUpload(
                "Send the file as multipart/form-data.",
                errors=[
                    {"field": "file", "message": "A multipart file is required.", "code": "missing"}
                ],
            )
        self.body = body
        self.field = field
        self.filename: str | None = None
        self._events: deque[tuple[str, bytes]] = deque()
        self._part = _Part()
        self._header_field = b""
        self._header_value = b""
        try:
            self.parser = self._parser(boundary)
        except FormParserError as exc:  # e.g. a boundary longer than multipart allows
            raise MalformedUpload() from exc

    def _parser(self, boundary: bytes) -> MultipartParser:
        return MultipartParser(
            boundary,
            {
                "on_part_begin": self._begin,
                "on_header_field": lambda d, s, e: self._add("field", d[s:e]),
                "on_header_value": lambda d, s, e: self._add("value", d[s:e]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_done,
                "on_part_data": lambda d, s, e: self._events.append(("data", d[s:e])),
                "on_part_end": lambda: self._events.append(("end", b"")),
            },
            max_header_count=20,
            max_header_size=8192,
        )

    def _begin(self) -> None:
        self._part = _Part()

    def _add(self, kind: str, data: bytes) -> None:
        if kind == "field":
            self._header_field += data
        else:
            self._header_value += data

    def _header_end(self) -> None:
        self._part.headers[self._header_field.lower()] = self._header_value
        self._header_field = self._header_value = b""

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._part.headers.get(b"content-disposition", b""))
        self._part.field_name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        self._part.filename = filename.decode("utf-8", "replace") if filename is not None else None
        self._events.append(("begin", b""))

    async def chunks(self) -> AsyncIterator[bytes]:
        inside = False
        async for raw in self.body:
            try:
                self.parser.write(raw)
            except FormParserError as exc:  # garbage where part headers belong
                raise MalformedUpload() from exc
            while self._events:
                kind, data = self._events.popleft()
                if kind == "begin":
                    inside = self._part.field_name == self.field and self._part.filename is not None
                    if inside:
                        self.filename = self._part.filename
                elif kind == "data" and inside:
                    yield data
                elif kind == "end" and inside:
                    return
        if self.filename is None:
            raise BadUpload(
                "The request has no file.",
                errors=[{"field": self.field, "message": "A file is required.", "code": "missing"}],
            )
        raise BadUpload("The upload was cut off.")


class RawUpload:
    """A request body that is the file itself (file exchange: PUT .../files/{name})."""

    def __init__(self, body: AsyncIterator[bytes], filename: str) -> None:
        self.body = body
        self.filename: str | None = filename

    def chunks(self) -> AsyncIterator[bytes]:
        return self.body


async def _first_bytes(source: AsyncIterator[bytes], wanted: int) -> tuple[bytes, bool]:
    """At least `wanted` bytes from `source` (less if it ends first), and whether it did."""
    data = bytearray()
    async for chunk in source:
        data += chunk
        if len(data) >= wanted:
            return bytes(data), False
    return bytes(data), True


class Upload(Protocol):
    filename: str | None

    def chunks(self) -> AsyncIterator[bytes]: ...


def _allowed_type(head: bytes, complete: bool, allowed: frozenset[str]) -> str:
    content_type = sniff(head, complete=complete)
    if content_type is None or content_type not in allowed:
        raise UnsupportedType(
            "This kind of file is not accepted. Allowed: "
            + ", ".join(sorted(t.split("/")[1].upper() for t in allowed))
            + "."
        )
    return content_type


async def _image_head(
    source: AsyncIterator[bytes], head: bytes, complete: bool, content_type: str
) -> tuple[bytes, bool]:
    """Refuses a picture beyond the limits before a byte is stored, judged from the first
    HEADER_BYTES whatever the size of the chunks that brought them (read on from `source`
    as needed). A header further in is judged by the thumbnail task, which reads the
    whole file before it decodes anything."""
    if not complete and len(head) < HEADER_BYTES:
        more, complete = await _first_bytes(source, HEADER_BYTES - len(head))
        head += more
    whole = complete and len(head) <= HEADER_BYTES
    # In a thread: counting an animation's frames takes a moment.
    header = await asyncio.to_thread(read_header, head[:HEADER_BYTES], content_type)
    if header is None and whole:
        raise UnsupportedType("The file is not a readable image.")
    return head, complete


async def receive(
    *,
    upload: Upload,
    store: BlobStore,
    key: str,
    limit: int,
    allowed: frozenset[str],
) -> Received:
    """Stream the upload into `store` under `key`, enforcing `limit` and `allowed` types."""
    chunks = upload.chunks()
    digest = hashlib.sha256()
    tally = _Tally()

    async def checked() -> AsyncIterator[bytes]:
        source = chunks.__aiter__()
        head, complete = await _first_bytes(source, SNIFF_BYTES)
        content_type = _allowed_type(head, complete, allowed)
        if content_type in PILLOW_FORMATS:
            head, complete = await _image_head(source, head, complete, content_type)
        tally.content_type = content_type
        yield _count(head)
        tail = head[-PDF_TAIL_BYTES:]
        if not complete:
            async for chunk in source:
                tail = (tail + chunk[-PDF_TAIL_BYTES:])[-PDF_TAIL_BYTES:]
                yield _count(chunk)
        if content_type == "application/pdf" and not pdf_structure_ok(head[:SNIFF_BYTES], tail):
            raise UnsupportedType("The file is not a PDF document.")

    def _count(chunk: bytes) -> bytes:
        tally.size += len(chunk)
        if tally.size > limit:
            raise TooLarge(f"Files can be at most {limit // (1024 * 1024)} MB.")
        digest.update(chunk)
        return chunk

    await store.put(key, checked(), content_type="application/octet-stream")
    original = upload.filename or "file"
    return Received(
        name=safe_name(original),
        original_name=display_name(original),
        size=tally.size,
        sha256=digest.hexdigest(),
        content_type=tally.content_type,
    )
