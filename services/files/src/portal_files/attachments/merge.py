"""A duplicate ticket merged into another (`tickets.ticket.merged`): its files follow its
messages to the ticket merged into.

The files of its moved public messages become readable wherever that ticket is visible
(and stay readable through the duplicate, as before: a link in an old mail keeps
working for those who had it). Its case folders move to that ticket, with the files in
them. Applying a merge twice changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from portal_files.casefiles.events import FolderChanged
from portal_files.uow import FilesUoW


async def merge(
    *,
    uow: FilesUoW,
    number: str,
    into: str,
    organization_id: uuid.UUID | None,
    file_ids: Collection[uuid.UUID],
    actor_id: uuid.UUID,
    at: datetime,
) -> None:
    # One transaction: the inbox marks the event handled with its first commit.
    async with uow:
        if file_ids:
            await uow.files.mark_referenced(file_ids, at)
            await uow.files.attach(file_ids, into)
        for folder in await uow.cases.move_tree(number, into):
            if folder.parent_id is None:  # the subfolders went along with their parents
                uow.emit(
                    FolderChanged(
                        ticket_number=into,
                        organization_id=organization_id,
                        folder_id=folder.id,
                        parent_id=None,
                        name=folder.name,
                        action="moved",
                        actor_id=actor_id,
                    )
                )
        await uow.commit()
