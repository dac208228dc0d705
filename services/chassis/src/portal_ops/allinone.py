"""The all-in-one process: the gateway and every service in one event loop, on the
embedded adapters (SQLite files, in-memory bus, local mailbox), migrated at start."""

from __future__ import annotations

import logging
import secrets
from pathlib import Path

from fastapi import FastAPI

from portal_chassis import registry
from portal_chassis.bus import EventBus, InMemoryBus, RetryPolicy
from portal_chassis.platform import Platform
from portal_chassis.settings import PortalSettings
from portal_ops.asgi import StreamingASGITransport

log = logging.getLogger(__name__)


def _mail_signing_key(data_dir: Path) -> str:
    """The key that signs reply addresses, made once and kept with the data: replies to
    mails sent before a restart must still thread."""
    path = data_dir / "mail-signing.key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def create_allinone_app(
    *,
    data_dir: Path | None = None,
    demo: bool = False,
    portal: PortalSettings | None = None,
    database_urls: dict[str, str] | None = None,
    bus: EventBus | None = None,
) -> FastAPI:
    portal = portal or PortalSettings()
    updates: dict[str, object] = {"auto_migrate": True, "tasks_eager": True}
    if data_dir is not None:
        updates["data_dir"] = data_dir
    portal = portal.model_copy(update=updates)
    portal.data_dir.mkdir(parents=True, exist_ok=True)
    if not portal.signing_keys:
        portal = portal.model_copy(update={"mail_signing_keys": _mail_signing_key(portal.data_dir)})

    # One bus for every service of the process: in memory, unless a caller (a test that
    # wants the real broker) hands in another.
    bus = bus or InMemoryBus(
        retry=RetryPolicy(portal.event_max_retries, portal.event_retry_base_seconds)
    )
    platform = Platform(bus=bus)
    modules = registry.services()
    for module in modules:
        settings = module.settings_cls(portal=portal)
        if database_urls and module.name in database_urls:
            settings = settings.model_copy(update={"database_url": database_urls[module.name]})
        app = module.create_app(settings, platform=platform)
        platform.embedded[module.name] = app
        platform.transports[module.name] = StreamingASGITransport(app)

    if demo:

        async def seed() -> None:
            lines: list[str] = []
            for module in modules:
                if module.seed_demo is not None:
                    lines += await module.seed_demo(platform.embedded[module.name].state.portal)
            # Then the story that crosses services (tickets, files, notifications),
            # played through the public API; the services date its records back after.
            play = getattr(gateway, "play_demo", None)
            if play is not None:
                more, timeline = await play(portal_app)
                lines += more
                for module in modules:
                    if module.finish_demo is not None:
                        runtime = platform.embedded[module.name].state.portal
                        lines += await module.finish_demo(runtime, timeline)
            banner = "\n".join(["", "Demo data:", *(f"  {line}" for line in lines), ""])
            print(banner, flush=True)

        platform.after_start.append(seed)

    gateway = registry.load("gateway")
    portal_app: FastAPI = gateway.create_app(gateway.settings_cls(portal=portal), platform=platform)
    return portal_app
