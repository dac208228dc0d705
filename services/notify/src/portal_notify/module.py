"""The notify service: e-mail, in-app notifications and live updates."""

from __future__ import annotations

from pathlib import Path

from portal_chassis.module import ServiceModule
from portal_chassis.runtime import Runtime
from portal_notify.base import Base, messaging
from portal_notify.directory.handlers import HANDLERS as DIRECTORY_HANDLERS
from portal_notify.mail.cli import MAIL_COMMAND
from portal_notify.mail.service import refresh_queue_gauge
from portal_notify.mail.tasks import TASKS
from portal_notify.mail.views import router as mail_router
from portal_notify.notification.access_handlers import HANDLERS as ACCESS_HANDLERS
from portal_notify.notification.handlers import HANDLERS as NOTIFICATION_HANDLERS
from portal_notify.notification.hub import Hub, hub_of, keep_hub
from portal_notify.notification.security_handlers import HANDLERS as SECURITY_HANDLERS
from portal_notify.notification.views import router as notification_router
from portal_notify.presence.views import router as presence_router
from portal_notify.settings import NotifySettings
from portal_notify.uow import NotifyUoW


async def start_hub(runtime: Runtime) -> None:
    portal = runtime.settings.portal
    keep_hub(runtime, Hub(portal.redis_url, channel=f"{portal.event_namespace}:notify:wake"))


async def relay_wakeups(runtime: Runtime) -> None:
    await hub_of(runtime).run()


module = ServiceModule(
    name="notify",
    summary="E-mail, in-app notifications and live updates.",
    default_port=8005,
    settings_cls=NotifySettings,
    metadata=Base.metadata,
    tables=messaging,
    uow_cls=NotifyUoW,
    versions=Path(__file__).parent / "migrations" / "versions",
    # Mail and presence routes first: `/mails` must not be taken for a notification id.
    routers=[mail_router, presence_router, notification_router],
    # Routing reads an event's own facts; from the directory only what earlier events told.
    consumers=[
        *DIRECTORY_HANDLERS,
        *NOTIFICATION_HANDLERS,
        *ACCESS_HANDLERS,
        *SECURITY_HANDLERS,
    ],
    tasks=TASKS,
    on_startup=[start_hub],
    background=[relay_wakeups],
    gauges=[refresh_queue_gauge],
    commands=[MAIL_COMMAND],
)
