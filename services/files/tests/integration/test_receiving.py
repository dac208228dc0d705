"""Storing an upload and the repositories behind it, on the service's real database and
blob store: nothing half-stored stays behind, and ticket references count once."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import cast

import pytest
from files_harness import png
from portal_harness import Portal
from sqlalchemy.exc import IntegrityError

from portal_files.attachments.models import Purpose, StoredFile
from portal_files.storage.factory import store_of
from portal_files.storage.receiving import receive_file
from portal_files.uow import FilesUoW
from portal_files.upload.receive import RawUpload
from portal_files.upload.sniff import ATTACHMENT_TYPES

pytestmark = pytest.mark.integration


async def _body(data: bytes) -> AsyncIterator[bytes]:
    yield data


def _row() -> StoredFile:
    file_id = uuid.uuid4()
    return StoredFile(id=file_id, purpose=Purpose.ATTACHMENT, object_key=f"files/{file_id}")


async def _receive(portal: Portal, row: StoredFile, **more: object) -> StoredFile:
    return await receive_file(
        uow=cast(FilesUoW, portal.files.uow()),
        store=await store_of(portal.files),
        upload=RawUpload(_body(png(100)), "plan.png"),
        row=row,
        limit=1024 * 1024,
        allowed=ATTACHMENT_TYPES,
        **more,  # type: ignore[arg-type]
    )


async def test_a_received_file_has_its_row_and_its_object(portal: Portal) -> None:
    row = await _receive(portal, _row())
    assert (row.name, row.content_type, row.size) == ("plan.png", "image/png", len(png(100)))
    async with portal.files.uow() as uow:
        assert await cast(FilesUoW, uow).files.get(row.id) is not None
    assert await (await store_of(portal.files)).exists(row.object_key)


async def test_a_failed_commit_deletes_the_object(portal: Portal) -> None:
    row = _row()
    row.folder_id = uuid.uuid4()  # no such folder: the database refuses the row
    with pytest.raises(IntegrityError):
        await _receive(portal, row)
    assert not await (await store_of(portal.files)).exists(row.object_key)


async def test_a_failure_of_what_belongs_to_the_file_deletes_it_too(portal: Portal) -> None:
    async def refused(stored: StoredFile) -> None:
        raise RuntimeError("the link is gone")

    row = _row()
    with pytest.raises(RuntimeError):
        await _receive(portal, row, also=refused)
    assert not await (await store_of(portal.files)).exists(row.object_key)
    async with portal.files.uow() as uow:
        assert await cast(FilesUoW, uow).files.get(row.id) is None


async def test_the_first_reference_counts_and_attaching_twice_is_once(portal: Portal) -> None:
    row = await _receive(portal, _row())
    first = datetime.now(UTC) - timedelta(hours=1)
    uow = cast(FilesUoW, portal.files.uow())
    for at in (first, datetime.now(UTC)):
        async with uow:
            await uow.files.mark_referenced([row.id], at)
            await uow.files.attach([row.id, uuid.uuid4()], "T000042")
            await uow.commit()
    async with uow:
        stored = await uow.files.get(row.id)
        assert stored is not None and stored.referenced_at == first
        assert await uow.files.ticket_numbers(stored) == ["T000042"]
