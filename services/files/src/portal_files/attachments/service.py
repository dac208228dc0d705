"""Attachment use cases: upload, metadata, download, and the tickets that refer to them."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, datetime, timedelta

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, NotFound
from portal_files.attachments.download import content_disposition
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.attachments.permissions import can_read_file
from portal_files.storage.base import BlobStore
from portal_files.storage.receiving import receive_file
from portal_files.uow import FilesUoW
from portal_files.upload.receive import Upload
from portal_files.upload.sniff import ATTACHMENT_TYPES


async def upload_attachment(
    *,
    uow: FilesUoW,
    store: BlobStore,
    upload: Upload,
    actor: Actor,
    limit: int,
) -> StoredFile:
    file_id = uuid.uuid4()
    row = StoredFile(
        id=file_id,
        organization_id=actor.organization_id,
        uploader_id=actor.id,
        uploader_name=actor.username,
        purpose=Purpose.ATTACHMENT,
        object_key=f"files/{file_id}",
    )
    return await receive_file(
        uow=uow, store=store, upload=upload, row=row, limit=limit, allowed=ATTACHMENT_TYPES
    )


async def get_file(*, uow: FilesUoW, file_id: uuid.UUID, actor: Actor) -> StoredFile:
    """The file, for its metadata, content, thumbnail or link: 404 unless `actor` may
    read it (the same answer as for a file that does not exist)."""
    async with uow:
        row = await uow.files.get(file_id)
        tickets = await uow.directory.tickets(await uow.files.ticket_numbers(row)) if row else []
    if row is None or not can_read_file(actor, row, tickets):
        raise NotFound("No such file.")
    return row


async def direct_link(
    *, uow: FilesUoW, store: BlobStore, file_id: uuid.UUID, actor: Actor, lifetime: timedelta
) -> tuple[str, datetime]:
    """A link straight to the object store and when it expires; 409 when the store
    cannot hand out links (the local disk of the all-in-one mode)."""
    row = await get_file(uow=uow, file_id=file_id, actor=actor)
    issued = datetime.now(UTC)
    url = await store.presigned_get(
        row.object_key,
        expires=lifetime,
        headers={
            "Content-Disposition": content_disposition(row.name),
            "Content-Type": row.content_type,
        },
    )
    if url is None:
        raise Conflict("Direct links need the S3 object store; download through the portal.")
    return url, issued + lifetime


async def thumbnail_key(*, uow: FilesUoW, file_id: uuid.UUID, actor: Actor) -> str:
    row = await get_file(uow=uow, file_id=file_id, actor=actor)
    if row.thumbnail_key is None:
        raise NotFound("No preview for this file (yet).")
    return row.thumbnail_key


async def reference(
    *,
    uow: FilesUoW,
    file_ids: Collection[uuid.UUID],
    ticket_number: str,
    public: bool,
    at: datetime,
) -> None:
    """Files a ticket message names are in use (unused ones are cleaned up). Attached to
    a public message, a file is readable by whoever sees the ticket; an internal note's
    files stay with their uploader and the staff."""
    if not file_ids:
        return
    async with uow:
        await uow.files.mark_referenced(file_ids, at)
        if public:
            await uow.files.attach(file_ids, ticket_number)
        await uow.commit()
