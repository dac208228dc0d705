"""Background work on attachments (Celery in distributed mode, inline in the all-in-one
mode): cleanup of unused attachments, thumbnails."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import cast

from PIL import Image

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_files.attachments.models import StoredFile
from portal_files.storage.base import BlobStore
from portal_files.storage.factory import store_of
from portal_files.uow import FilesUoW
from portal_files.upload.images import PILLOW_FORMATS, ImageTooLarge, read_header

UNUSED_AFTER = timedelta(hours=24)
THUMBNAIL_PX = 256
THUMBNAIL_TYPES = frozenset(PILLOW_FORMATS)
# Images decoded at the same time by one process: decoding takes memory in proportion to
# the pixels (up to MAX_IMAGE_PIXELS), so a burst of uploads waits its turn instead of
# multiplying it.
THUMBNAILS_AT_ONCE = 2


@task("remove_unused_attachments", every=3600)
async def remove_unused_attachments(runtime: Runtime) -> int:
    """Attachments no ticket article referred to within a day of their upload."""
    uow = cast(FilesUoW, runtime.uow())
    async with uow:
        rows = await uow.files.unused_attachments(
            before=datetime.now(UTC) - UNUSED_AFTER, limit=1000
        )
        if rows:
            await uow.files.delete([r.id for r in rows])
            await uow.commit()
    await remove_objects(await store_of(runtime), rows)
    return len(rows)


@task("make_thumbnail")
async def make_thumbnail(runtime: Runtime, file_id: str) -> bool:
    """A small JPEG preview of an image, for the correspondence view."""
    uow = cast(FilesUoW, runtime.uow())
    async with uow:
        row = await uow.files.get(uuid.UUID(file_id))
    if row is None or row.content_type not in THUMBNAIL_TYPES:
        return False
    store = await store_of(runtime)
    async with _decoding(runtime):
        data = b"".join([chunk async for chunk in store.get(row.object_key)])
        try:
            preview = await asyncio.to_thread(_thumbnail, data, row.content_type)
        except (OSError, ImageTooLarge, Image.DecompressionBombError, ValueError):
            preview = None
    if preview is None:
        return False  # not decodable as an image after all: no preview, no error
    key = f"thumbnails/{row.id}.jpg"

    async def one() -> AsyncIterator[bytes]:
        yield preview

    await store.put(key, one(), content_type="image/jpeg")
    async with uow:
        fresh = await uow.files.get(row.id)
        if fresh is None:  # removed meanwhile: the preview goes too
            await store.delete(key)
            return False
        fresh.thumbnail_key = key
        await uow.commit()
    return True


async def remove_objects(store: BlobStore, rows: Iterable[StoredFile]) -> None:
    """The objects of files whose rows are gone (after the commit: a failed delete leaves
    a stray object, never a row without its object)."""
    for row in rows:
        await store.delete(row.object_key)
        if row.thumbnail_key:
            await store.delete(row.thumbnail_key)


def _decoding(runtime: Runtime) -> asyncio.Semaphore:
    """The process's turns at decoding (the server's in the all-in-one mode, where tasks
    run on its event loop after the request; each worker's otherwise)."""
    slots = runtime.state.get("thumbnail_slots")
    if slots is None:
        slots = runtime.state["thumbnail_slots"] = asyncio.Semaphore(THUMBNAILS_AT_ONCE)
    return slots


def _thumbnail(data: bytes, content_type: str) -> bytes | None:
    # The whole file's header this time (at upload only its first part may have been
    # read): nothing beyond the limits is decoded.
    if read_header(data, content_type) is None:
        return None
    with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]]) as image:
        image.thumbnail((THUMBNAIL_PX, THUMBNAIL_PX))
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=80)
        return out.getvalue()


TASKS = [remove_unused_attachments, make_thumbnail]
