from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_files.attachments.models import StoredFile
from portal_files.casefiles.models import Folder


class CaseFileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, folder: Folder) -> None:
        self.session.add(folder)

    async def delete(self, folder: Folder) -> None:
        """The database cascades to the subfolders and their file rows."""
        await self.session.execute(delete(Folder).where(Folder.id == folder.id))

    async def folders(self, number: str) -> list[Folder]:
        rows = await self.session.scalars(
            select(Folder).where(Folder.ticket_number == number).order_by(Folder.name)
        )
        return list(rows)

    async def folder(self, number: str, folder_id: uuid.UUID) -> Folder | None:
        folder = await self.session.get(Folder, folder_id, with_for_update=True)
        return folder if folder is not None and folder.ticket_number == number else None

    async def files_in(self, folder_ids: list[uuid.UUID]) -> list[StoredFile]:
        if not folder_ids:
            return []
        rows = await self.session.scalars(
            select(StoredFile).where(StoredFile.folder_id.in_(folder_ids)).order_by(StoredFile.name)
        )
        return list(rows)

    async def name_taken(self, number: str, parent_id: uuid.UUID | None, name: str) -> bool:
        query = select(Folder.id).where(Folder.ticket_number == number, Folder.name == name)
        query = query.where(
            Folder.parent_id.is_(None) if parent_id is None else Folder.parent_id == parent_id
        )
        return await self.session.scalar(query) is not None
