"""File use cases: upload, metadata, download."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import DomainError, NotFound
from portal_files.models import Purpose, StoredFile
from portal_files.permissions import can_read_file
from portal_files.storage.base import BlobStore
from portal_files.uow import FilesUoW
from portal_files.upload.receive import Upload, receive
from portal_files.upload.sniff import ATTACHMENT_TYPES


class RangeNotSatisfiable(DomainError):
    status, slug, title = 416, "range-not-satisfiable", "Range not satisfiable"


async def upload_attachment(
    *,
    uow: FilesUoW,
    store: BlobStore,
    upload: Upload,
    actor: Actor,
    limit: int,
) -> StoredFile:
    file_id = uuid.uuid4()
    key = f"files/{file_id}"
    received = await receive(
        upload=upload, store=store, key=key, limit=limit, allowed=ATTACHMENT_TYPES
    )
    try:
        async with uow:
            row = StoredFile(
                id=file_id,
                organization_id=actor.organization_id,
                uploader_id=actor.id,
                uploader_name=actor.username,
                purpose=Purpose.ATTACHMENT,
                name=received.name,
                original_name=received.original_name,
                size=received.size,
                content_type=received.content_type,
                sha256=received.sha256,
                object_key=key,
                created_at=datetime.now(UTC),
            )
            row.stored()
            uow.files.add(row)
            await uow.commit()
    except BaseException:
        await store.delete(key)  # no row, no object: nothing half-stored stays behind
        raise
    return row


async def get_file(*, uow: FilesUoW, file_id: uuid.UUID, actor: Actor) -> StoredFile:
    """The file, for its metadata, content, thumbnail or link: 404 unless `actor` may
    read it (the same answer as for a file that does not exist)."""
    async with uow:
        row = await uow.files.get(file_id)
        tickets = await uow.directory.tickets(await uow.files.ticket_numbers(row)) if row else []
    if row is None or not can_read_file(actor, row, tickets):
        raise NotFound("No such file.")
    return row


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
