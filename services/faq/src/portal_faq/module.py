"""The FAQ service: the knowledge base, its search and ticket deflection."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_chassis.uow import UnitOfWork
from portal_faq.base import Base, messaging
from portal_faq.settings import FaqSettings
from portal_faq.views import router

module = ServiceModule(
    name="faq",
    summary="Knowledge base, search and suggestions.",
    default_port=8004,
    settings_cls=FaqSettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=UnitOfWork,
    versions=Path(__file__).parent / "migrations" / "versions",
    routers=[router],
)
