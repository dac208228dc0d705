from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readthrough import fetcher
from portal_chassis.uow import UnitOfWork
from portal_files.attachments.repository import FileRepository
from portal_files.casefiles.repository import CaseFileRepository
from portal_files.directory.repository import TICKETS, DirectoryRepository
from portal_files.exchange.repository import ShareRepository


class FilesUoW(UnitOfWork):
    files: FileRepository
    cases: CaseFileRepository
    shares: ShareRepository
    directory: DirectoryRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.files = FileRepository(session)
        self.cases = CaseFileRepository(session)
        self.shares = ShareRepository(session)
        self.directory = DirectoryRepository(
            session, fetch_ticket=fetcher(self.read_throughs, TICKETS)
        )
