from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readthrough import fetcher
from portal_chassis.uow import UnitOfWork
from portal_files.casefiles.repository import CaseFileRepository
from portal_files.directory.repository import TICKETS, DirectoryRepository
from portal_files.repository import FileRepository


class FilesUoW(UnitOfWork):
    files: FileRepository
    cases: CaseFileRepository
    directory: DirectoryRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.files = FileRepository(session)
        self.cases = CaseFileRepository(session)
        self.directory = DirectoryRepository(session, fetch_ticket=fetcher(self.runtime, TICKETS))
