from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from portal_files.models import StoredFile


class FileRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: StoredFile) -> None:
        self.session.add(row)

    async def get(self, file_id: uuid.UUID) -> StoredFile | None:
        return await self.session.get(StoredFile, file_id)
