"""One uploaded file into the service, all or nothing: the upload is sniffed and limited
while its blob is written, then its row is committed; when the commit fails the blob is
deleted again, so no object stays without its row and no row without its object."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from portal_files.attachments.models import StoredFile
from portal_files.storage.base import BlobStore
from portal_files.uow import FilesUoW
from portal_files.upload.receive import Upload, receive


async def receive_file(
    *,
    uow: FilesUoW,
    store: BlobStore,
    upload: Upload,
    row: StoredFile,
    limit: int,
    allowed: frozenset[str],
    also: Callable[[StoredFile], Awaitable[None]] | None = None,
) -> StoredFile:
    """Store `upload` under `row.object_key` and commit `row`, completed with what the
    upload turned out to be (name, size, type, hash); `also` adds rows that belong to it
    in the same transaction."""
    received = await receive(
        upload=upload, store=store, key=row.object_key, limit=limit, allowed=allowed
    )
    row.name, row.original_name = received.name, received.original_name
    row.size, row.content_type, row.sha256 = received.size, received.content_type, received.sha256
    row.created_at = datetime.now(UTC)
    try:
        async with uow:
            row.stored()
            uow.files.add(row)
            if also is not None:
                await also(row)
            await uow.commit()
    except BaseException:
        await store.delete(row.object_key)
        raise
    return row
