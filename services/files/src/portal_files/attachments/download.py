"""A stored file as an HTTP download: one byte range at most, a safe name, no sniffing."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from fastapi.responses import StreamingResponse

from portal_chassis.errors import DomainError
from portal_files.attachments.models import StoredFile
from portal_files.storage.base import BlobStore


class RangeNotSatisfiable(DomainError):
    status, slug, title = 416, "range-not-satisfiable", "Range not satisfiable"


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """One `bytes=` range (RFC 9110 §14.1.2); None for the whole file."""
    if not header:
        return None
    unit, _, spec = header.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None  # unknown unit or several ranges: answer with the whole file
    first, _, last = spec.strip().partition("-")
    try:
        if first == "":
            suffix = int(last)
            if suffix <= 0:
                raise ValueError
            start, end = max(0, size - suffix), size - 1
        else:
            start = int(first)
            end = int(last) if last else size - 1
    except ValueError:
        return None
    if start >= size or end < start or start < 0:
        refused = RangeNotSatisfiable(f"The file has {size} bytes.")
        refused.headers["Content-Range"] = f"bytes */{size}"
        raise refused
    return ByteRange(start, min(end, size - 1))


def file_response(row: StoredFile, range_header: str | None, store: BlobStore) -> StreamingResponse:
    """The file as a download: attachment, sniffed type, nosniff, one byte range."""
    wanted = parse_range(range_header, row.size)
    headers = {
        "Content-Disposition": content_disposition(row.name),
        "X-Content-Type-Options": "nosniff",
        "Accept-Ranges": "bytes",
        "Cache-Control": "private, max-age=0",
        "ETag": f'"{row.sha256}"',
    }
    if wanted is None:
        headers["Content-Length"] = str(row.size)
        body = store.get(row.object_key)
        status = 200
    else:
        headers["Content-Length"] = str(wanted.length)
        headers["Content-Range"] = f"bytes {wanted.start}-{wanted.end}/{row.size}"
        body = store.get(row.object_key, offset=wanted.start, length=wanted.length)
        status = 206
    return StreamingResponse(body, status_code=status, media_type=row.content_type, headers=headers)


def content_disposition(name: str) -> str:
    fallback = name.encode("ascii", "replace").decode().replace('"', "_").replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"
