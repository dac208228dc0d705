"""The tickets service: tickets, correspondence, templates and SLAs."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_tickets.assets.views import router as assets_router
from portal_tickets.base import Base, messaging
from portal_tickets.catalog.views import router as catalog_router
from portal_tickets.contracts.handlers import HANDLERS as CONTRACT_HANDLERS
from portal_tickets.contracts.tasks import announce_contracts_in_force
from portal_tickets.contracts.views import router as contracts_router
from portal_tickets.demo import finish_demo, seed_demo
from portal_tickets.directory.handlers import HANDLERS as DIRECTORY_HANDLERS
from portal_tickets.groups.views import router as groups_router
from portal_tickets.links.views import router as links_router
from portal_tickets.mail_intake.cli import REPROCESS_COMMAND
from portal_tickets.mail_intake.runner import run_intake
from portal_tickets.mail_intake.tasks import forget_raw_mails
from portal_tickets.reports.views import router as reports_router
from portal_tickets.saved_views.views import router as saved_views_router
from portal_tickets.settings import TicketsSettings
from portal_tickets.sla.gauge import refresh_breached_gauge
from portal_tickets.sla.tasks import scan_sla
from portal_tickets.surveys.views import router as surveys_router
from portal_tickets.surveys.views import ticket_router as ticket_survey_router
from portal_tickets.text_modules.views import router as text_modules_router
from portal_tickets.ticket.views import internal_router as ticket_internal_router
from portal_tickets.ticket.views import router as ticket_router
from portal_tickets.uow import TicketsUoW

module = ServiceModule(
    name="tickets",
    summary="Tickets, correspondence, templates and SLAs.",
    default_port=8002,
    settings_cls=TicketsSettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=TicketsUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    routers=[
        reports_router,
        ticket_router,
        catalog_router,
        saved_views_router,
        assets_router,
        contracts_router,
        groups_router,
        text_modules_router,
        links_router,
        surveys_router,
        ticket_survey_router,
        ticket_internal_router,
    ],
    # The contracts' consumer compares identity's organization with the directory's
    # copy before the directory takes it: it comes first.
    consumers=[*CONTRACT_HANDLERS, *DIRECTORY_HANDLERS],
    tasks=[scan_sla, forget_raw_mails, announce_contracts_in_force],
    gauges=[refresh_breached_gauge],
    worker_jobs=[run_intake],
    commands=[REPROCESS_COMMAND],
    seed_demo=seed_demo,
    finish_demo=finish_demo,
)
