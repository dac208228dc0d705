from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.uow import UnitOfWork
from portal_tickets.catalog.repository import CatalogRepository
from portal_tickets.directory.repository import DirectoryRepository
from portal_tickets.ticket.repository import TicketRepository


class TicketsUoW(UnitOfWork):
    tickets: TicketRepository
    catalog: CatalogRepository
    directory: DirectoryRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.tickets = TicketRepository(session)
        self.catalog = CatalogRepository(session)
        self.directory = DirectoryRepository(session)
