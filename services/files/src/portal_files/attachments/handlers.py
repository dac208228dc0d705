"""Tickets events that mark attachments as used (unused ones are cleaned up) and attach
them to the ticket, whose people may then read them: the files a ticket was opened with
(`tickets.ticket.created`) and those of each later message (`tickets.article.added`)."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_files.models import StoredFile
from portal_files.uow import FilesUoW


@consumer("tickets.ticket.created", "tickets.article.added", name="files.attachments.referenced")
async def on_attachments(event: Envelope, uow: FilesUoW) -> None:
    file_ids = [uuid.UUID(f) for f in event.data.get("file_ids", [])]
    if not file_ids:
        return
    # A new ticket names itself `number`; a message names its ticket `ticket_number`.
    number = event.data.get("ticket_number") or event.data["number"]
    async with uow:
        await uow.session.execute(
            update(StoredFile)
            .where(StoredFile.id.in_(file_ids), StoredFile.referenced_at.is_(None))
            .values(referenced_at=event.occurred_at)
        )
        if not event.data.get("internal"):
            # Attached to a public message, a file is readable by whoever sees the ticket;
            # an internal note's files stay with their uploader and the staff.
            await uow.files.attach(file_ids, number)
        await uow.commit()
