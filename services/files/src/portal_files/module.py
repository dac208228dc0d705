"""The files service: attachments, case files and the token-secured file exchange."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_files.attachments.handlers import HANDLERS as ATTACHMENT_HANDLERS
from portal_files.attachments.tasks import TASKS as ATTACHMENT_TASKS
from portal_files.attachments.views import internal_router as files_internal_router
from portal_files.attachments.views import router as files_router
from portal_files.base import Base, messaging
from portal_files.casefiles.views import router as casefiles_router
from portal_files.directory.handlers import HANDLERS as DIRECTORY_HANDLERS
from portal_files.exchange.tasks import TASKS as EXCHANGE_TASKS
from portal_files.exchange.views import router as exchange_router
from portal_files.settings import FilesSettings
from portal_files.storage.factory import open_store, store_ready
from portal_files.uow import FilesUoW

module = ServiceModule(
    name="files",
    summary="Attachments, case files and token-secured file exchange.",
    default_port=8003,
    settings_cls=FilesSettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=FilesUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    routers=[files_router, files_internal_router, casefiles_router, exchange_router],
    consumers=[*DIRECTORY_HANDLERS, *ATTACHMENT_HANDLERS],
    tasks=[*ATTACHMENT_TASKS, *EXCHANGE_TASKS],
    on_startup=[open_store],
    readiness=[store_ready],
)
