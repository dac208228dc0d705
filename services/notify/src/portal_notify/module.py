"""The notify service: e-mail, in-app notifications and live updates."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_notify.base import Base, messaging
from portal_notify.notification.handlers import on_ticket_created
from portal_notify.notification.views import router as notification_router
from portal_notify.settings import NotifySettings
from portal_notify.uow import NotifyUoW

module = ServiceModule(
    name="notify",
    summary="E-mail, in-app notifications and live updates.",
    default_port=8005,
    settings_cls=NotifySettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=NotifyUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    routers=[notification_router],
    consumers=[on_ticket_created],
)
