from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_files.attachments.models import Purpose, StoredFile, TicketAttachment


class FileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: StoredFile) -> None:
        self.session.add(row)

    async def get(self, file_id: uuid.UUID) -> StoredFile | None:
        return await self.session.get(StoredFile, file_id)

    async def delete(self, file_ids: Collection[uuid.UUID]) -> None:
        if file_ids:
            await self.session.execute(delete(StoredFile).where(StoredFile.id.in_(file_ids)))

    async def unused_attachments(self, *, before: datetime, limit: int) -> list[StoredFile]:
        """Attachments uploaded before `before` that no ticket message refers to, locked;
        rows another cleanup holds already are skipped."""
        rows = await self.session.scalars(
            select(StoredFile)
            .where(
                StoredFile.purpose == Purpose.ATTACHMENT,
                StoredFile.referenced_at.is_(None),
                StoredFile.created_at < before,
            )
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def mark_referenced(self, file_ids: Collection[uuid.UUID], at: datetime) -> None:
        """The first reference counts: a later message does not move the date."""
        await self.session.execute(
            update(StoredFile)
            .where(StoredFile.id.in_(file_ids), StoredFile.referenced_at.is_(None))
            .values(referenced_at=at)
        )

    async def ticket_numbers(self, row: StoredFile) -> list[str]:
        """The tickets whose visibility decides who reads `row`: the ticket of its case
        folder, and those with a public message it is attached to."""
        attached = await self.session.scalars(
            select(TicketAttachment.ticket_number).where(TicketAttachment.file_id == row.id)
        )
        return [*([row.ticket_number] if row.ticket_number else []), *attached]

    async def attach(self, file_ids: Collection[uuid.UUID], ticket_number: str) -> None:
        """Record that the existing files among `file_ids` are attached to the ticket."""
        if not file_ids:
            return
        existing = set(
            await self.session.scalars(select(StoredFile.id).where(StoredFile.id.in_(file_ids)))
        )
        known = set(
            await self.session.scalars(
                select(TicketAttachment.file_id).where(
                    TicketAttachment.file_id.in_(existing),
                    TicketAttachment.ticket_number == ticket_number,
                )
            )
        )
        for file_id in existing - known:
            self.session.add(TicketAttachment(file_id=file_id, ticket_number=ticket_number))
