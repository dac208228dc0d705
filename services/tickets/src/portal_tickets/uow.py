from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.uow import UnitOfWork
from portal_tickets.assets.repository import AssetRepository
from portal_tickets.catalog.repository import CatalogRepository
from portal_tickets.contracts.repository import ContractRepository
from portal_tickets.directory.repository import DirectoryRepository
from portal_tickets.groups.repository import GroupRepository
from portal_tickets.links.repository import LinkRepository
from portal_tickets.mail_intake.repository import InboundMailRepository
from portal_tickets.reports.repository import ReportRepository
from portal_tickets.saved_views.repository import SavedViewRepository
from portal_tickets.search.repository import SearchRepository
from portal_tickets.surveys.repository import SurveyRepository
from portal_tickets.text_modules.repository import TextModuleRepository
from portal_tickets.ticket.repository import TicketRepository


class TicketsUoW(UnitOfWork):
    tickets: TicketRepository
    catalog: CatalogRepository
    directory: DirectoryRepository
    search: SearchRepository
    reports: ReportRepository
    saved_views: SavedViewRepository
    mail: InboundMailRepository
    assets: AssetRepository
    contracts: ContractRepository
    groups: GroupRepository
    text_modules: TextModuleRepository
    links: LinkRepository
    surveys: SurveyRepository

    def enter_repositories(self, session: AsyncSession) -> None:
        self.tickets = TicketRepository(session)
        self.catalog = CatalogRepository(session)
        self.directory = DirectoryRepository(session)
        self.search = SearchRepository(session)
        self.reports = ReportRepository(session)
        self.saved_views = SavedViewRepository(session)
        self.mail = InboundMailRepository(session)
        self.assets = AssetRepository(session)
        self.contracts = ContractRepository(session)
        self.groups = GroupRepository(session)
        self.text_modules = TextModuleRepository(session)
        self.links = LinkRepository(session)
        self.surveys = SurveyRepository(session)
