"""The FAQ service: the knowledge base, its search and ticket deflection."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_faq.base import Base, messaging
from portal_faq.content.views import router as content_router
from portal_faq.demo import seed_demo
from portal_faq.search.views import router as search_router
from portal_faq.settings import FaqSettings
from portal_faq.uow import FaqUoW

module = ServiceModule(
    name="faq",
    summary="Knowledge base, search and suggestions.",
    default_port=8004,
    settings_cls=FaqSettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=FaqUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    # The search router first: its GET /articles must not be shadowed.
    routers=[search_router, content_router],
    seed_demo=seed_demo,
)
