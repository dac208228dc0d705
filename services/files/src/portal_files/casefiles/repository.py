from __future__ import annotations

import uuid

from sqlalchemy import delete, select, update
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

    async def move_tree(self, number: str, into: str) -> list[Folder]:
        """Move all of ticket `number`'s folders, and the files in them, to ticket `into`
        (a merge). A top-level folder whose name `into` has already is told apart by
        the number it came from. The moved folders; none once moved."""
        folders = await self.folders(number)
        if not folders:
            return []
        taken = set(
            await self.session.scalars(
                select(Folder.name).where(Folder.ticket_number == into, Folder.parent_id.is_(None))
            )
        )
        for folder in folders:
            folder.ticket_number = into
            if folder.parent_id is None and folder.name in taken:
                folder.name = _free_name(folder.name, number, taken)
            if folder.parent_id is None:
                taken.add(folder.name)
        await self.session.execute(
            update(StoredFile)
            .where(StoredFile.folder_id.in_([f.id for f in folders]))
            .values(ticket_number=into)
        )
        return folders


def _free_name(name: str, number: str, taken: set[str]) -> str:
    for attempt in range(1, 100):
        suffix = f" ({number})" if attempt == 1 else f" ({number}, {attempt})"
        candidate = name[: NAME_LENGTH - len(suffix)] + suffix
        if candidate not in taken:
            return candidate
    return name[: NAME_LENGTH - 37] + f" ({uuid.uuid4()})"


NAME_LENGTH = 200  # `Folder.name`
