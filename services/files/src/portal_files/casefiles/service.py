"""Case files: a folder tree per ticket, shared by the customer organization and agents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.casefiles.events import FolderAction, FolderChanged
from portal_files.casefiles.models import Folder
from portal_files.casefiles.permissions import can_use_case_files
from portal_files.casefiles.schemas import FolderCreate, FolderUpdate
from portal_files.directory.models import KnownTicket
from portal_files.storage.base import BlobStore
from portal_files.storage.receiving import receive_file
from portal_files.uow import FilesUoW
from portal_files.upload.receive import Upload
from portal_files.upload.sniff import ATTACHMENT_TYPES


async def _ticket(uow: FilesUoW, number: str, actor: Actor) -> KnownTicket:
    """The ticket if `actor` may see it; a ticket they may not see is as missing as one
    the files service has not heard of (yet)."""
    found = await uow.directory.tickets([number])
    if not found or not can_use_case_files(actor, *found[0]):
        raise NotFound(f"No ticket {number}.")
    return found[0][0]


def _changed(
    ticket: KnownTicket, folder: Folder, action: FolderAction, actor: Actor
) -> FolderChanged:
    return FolderChanged(
        ticket_number=ticket.number,
        organization_id=ticket.organization_id,
        folder_id=folder.id,
        parent_id=folder.parent_id,
        name=folder.name,
        action=action,
        actor_id=actor.id,
    )


async def tree(
    *, uow: FilesUoW, number: str, actor: Actor
) -> tuple[list[Folder], dict[uuid.UUID, list[StoredFile]]]:
    async with uow:
        await _ticket(uow, number, actor)
        folders = await uow.cases.folders(number)
        files = await uow.cases.files_in([f.id for f in folders])
    by_folder: dict[uuid.UUID, list[StoredFile]] = {f.id: [] for f in folders}
    for row in files:
        if row.folder_id is not None:
            by_folder[row.folder_id].append(row)
    return folders, by_folder


async def create_folder(*, uow: FilesUoW, number: str, data: FolderCreate, actor: Actor) -> Folder:
    async with uow:
        ticket = await _ticket(uow, number, actor)
        if data.parent_id is not None and await uow.cases.folder(number, data.parent_id) is None:
            raise InvalidInput(
                [{"field": "parent_id", "message": "No such folder.", "code": "unknown"}]
            )
        if await uow.cases.name_taken(number, data.parent_id, data.name):
            raise Conflict(f"A folder named {data.name!r} exists there already.")
        folder = Folder(
            id=uuid.uuid4(),
            ticket_number=number,
            parent_id=data.parent_id,
            name=data.name,
            created_by=actor.id,
            created_by_name=actor.username,
            created_at=datetime.now(UTC),
        )
        uow.cases.add(folder)
        uow.emit(_changed(ticket, folder, "created", actor))
        await uow.commit()
    return folder


async def update_folder(
    *, uow: FilesUoW, number: str, folder_id: uuid.UUID, data: FolderUpdate, actor: Actor
) -> Folder:
    async with uow:
        ticket = await _ticket(uow, number, actor)
        folder = await uow.cases.folder(number, folder_id)
        if folder is None:
            raise NotFound("No such folder.")
        moving = data.to_top or data.parent_id is not None
        parent = None if data.to_top else (data.parent_id if moving else folder.parent_id)
        name = data.name or folder.name
        if moving and parent is not None:
            folders = {f.id: f for f in await uow.cases.folders(number)}
            if parent not in folders:
                raise InvalidInput(
                    [{"field": "parent_id", "message": "No such folder.", "code": "unknown"}]
                )
            cursor: uuid.UUID | None = parent
            while cursor is not None:  # a folder cannot move into itself or below itself
                if cursor == folder.id:
                    raise InvalidInput(
                        [
                            {
                                "field": "parent_id",
                                "message": "A folder cannot move into itself.",
                                "code": "cycle",
                            }
                        ]
                    )
                cursor = folders[cursor].parent_id
        if (parent, name) != (folder.parent_id, folder.name) and await uow.cases.name_taken(
            number, parent, name
        ):
            raise Conflict(f"A folder named {name!r} exists there already.")
        action: FolderAction = "moved" if parent != folder.parent_id else "renamed"
        folder.parent_id, folder.name = parent, name
        uow.emit(_changed(ticket, folder, action, actor))
        await uow.commit()
    return folder


async def delete_folder(
    *, uow: FilesUoW, store: BlobStore, number: str, folder_id: uuid.UUID, actor: Actor
) -> None:
    async with uow:
        ticket = await _ticket(uow, number, actor)
        folder = await uow.cases.folder(number, folder_id)
        if folder is None:
            raise NotFound("No such folder.")
        files = await uow.cases.files_in(_subtree(folder.id, await uow.cases.folders(number)))
        await uow.cases.delete(folder)
        uow.emit(_changed(ticket, folder, "deleted", actor))
        await uow.commit()
    for row in files:  # after the commit: a failed delete leaves a stray object, not a row
        await store.delete(row.object_key)


def _subtree(root: uuid.UUID, folders: list[Folder]) -> list[uuid.UUID]:
    ids = [root]
    for current in ids:
        ids += [f.id for f in folders if f.parent_id == current]
    return ids


async def upload_case_file(
    *,
    uow: FilesUoW,
    store: BlobStore,
    number: str,
    folder_id: uuid.UUID,
    upload: Upload,
    actor: Actor,
    limit: int,
) -> StoredFile:
    async with uow:
        ticket = await _ticket(uow, number, actor)
        if await uow.cases.folder(number, folder_id) is None:
            raise NotFound("No such folder.")
    file_id = uuid.uuid4()
    row = StoredFile(
        id=file_id,
        organization_id=ticket.organization_id,
        uploader_id=actor.id,
        uploader_name=actor.username,
        purpose=Purpose.CASE_FILE,
        object_key=f"files/{file_id}",
        ticket_number=number,
        folder_id=folder_id,
    )
    return await receive_file(
        uow=uow, store=store, upload=upload, row=row, limit=limit, allowed=ATTACHMENT_TYPES
    )
