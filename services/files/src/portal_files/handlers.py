"""Tickets events that mark attachments as used (unused ones are cleaned up) and attach
them to the ticket, whose people may then read them."""

from __future__ import annotations

import uuid

from sqlalchemy import update

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_files.models import StoredFile
from portal_files.uow import FilesUoW


@consumer("tickets.article.added", name="files.attachments.referenced")
async def on_article_added(event: Envelope, uow: FilesUoW) -> None:
    file_ids = [uuid.UUID(f) for f in event.data.get("file_ids", [])]
    if not file_ids:
        return
    async with uow:
        await uow.session.execute(
            update(StoredFile)
            .where(StoredFile.id.in_(file_ids), StoredFile.referenced_at.is_(None))
            .values(referenced_at=event.occurred_at)
        )
        if not event.data.get("internal"):
            # Attached to a public message, a file is readable by whoever sees the ticket;
            # an internal note's files stay with their uploader and the staff.
            await uow.files.attach(file_ids, event.data["ticket_number"])
        await uow.commit()
