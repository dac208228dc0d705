"""Tickets events that mark attachments as used (unused ones are cleaned up) and let the
ticket's organization read what the service desk attached to a public message."""

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
        organization = event.data.get("organization_id")
        if organization and not event.data.get("internal"):
            # Staff uploads belong to no organization; attached to a public message they
            # become readable by the ticket's organization (internal notes stay staff-only).
            await uow.session.execute(
                update(StoredFile)
                .where(StoredFile.id.in_(file_ids), StoredFile.organization_id.is_(None))
                .values(organization_id=uuid.UUID(organization))
            )
        await uow.commit()
