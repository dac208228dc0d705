"""How a service declares itself to the chassis (its `module.py` builds one of these)."""

from __future__ import annotations

import argparse
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI
from sqlalchemy import MetaData

from portal_chassis.app import build_service_app
from portal_chassis.consumers import Consumer
from portal_chassis.demo import DemoTimeline
from portal_chassis.messaging import MessagingTables
from portal_chassis.platform import Platform
from portal_chassis.revocation import RevocationSource
from portal_chassis.runtime import Hook, Runtime
from portal_chassis.settings import ServiceSettings
from portal_chassis.tasks import TaskDef
from portal_chassis.uow import UnitOfWork


@dataclass(frozen=True)
class Command:
    """A `portal <name>` subcommand a service contributes (e.g. `portal mail`), or with
    `parent` a `portal <parent> <name>` one (e.g. `portal mail reprocess`)."""

    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], None]
    parent: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.parent} {self.name}" if self.parent else self.name


DemoHook = Callable[[Runtime], Awaitable[list[str]]]


class Deployable(Protocol):
    """Anything `portal serve <name>` can run: a service or the gateway."""

    name: str
    default_port: int
    settings_cls: type[Any]

    def create_app(self, settings: Any = None, *, platform: Platform | None = None) -> FastAPI: ...


@dataclass
class ServiceModule:
    name: str
    default_port: int
    settings_cls: type[ServiceSettings]
    metadata: MetaData
    tables: MessagingTables
    uow_cls: type[UnitOfWork]
    versions: Path
    routers: Sequence[APIRouter] = ()
    consumers: Sequence[Consumer] = ()
    # Background work (see tasks.py): Celery in distributed mode, inline in all-in-one.
    tasks: Sequence[TaskDef] = ()
    # Run at every start, after migrations (e.g. the bootstrap admin, signing keys).
    on_startup: Sequence[Hook] = ()
    # Extra readiness checks beside the database, its migrations and the bus (e.g. the
    # blob store).
    readiness: Sequence[Callable[[Runtime], Awaitable[dict[str, bool]]]] = ()
    # Long-running coroutines started after the hooks and cancelled at stop.
    background: Sequence[Hook] = ()
    # Long-running coroutines of the worker (`portal worker`), e.g. the mail intake: in
    # all-in-one mode, where tasks run inline, they run with the background jobs.
    worker_jobs: Sequence[Hook] = ()
    # Gauges the server recounts from its database, at start and every 15 s (e.g. the
    # mail queue): right whichever process changed the rows, the same in every replica.
    gauges: Sequence[Hook] = ()
    # Seeds demo data when `portal dev --demo` asks; returns lines to print.
    seed_demo: DemoHook | None = None
    # Runs after the demo story was played through the public API: dates the service's
    # own records of the story back (see portal_chassis.demo); returns lines to print.
    finish_demo: Callable[[Runtime, DemoTimeline], Awaitable[list[str]]] | None = None
    # Identity verifies tokens with its own keys instead of fetching its own JWKS.
    local_jwks: Callable[[Runtime], Callable[[], Awaitable[dict[str, Any]]]] | None = None
    # ... and reads the revoked sign-ins from its own database (see portal_chassis.revocation).
    local_revocations: Callable[[Runtime], RevocationSource] | None = None
    # Subcommands of the `portal` program that belong to this service.
    commands: Sequence[Command] = ()
    summary: str = ""

    def create_app(
        self, settings: ServiceSettings | None = None, *, platform: Platform | None = None
    ) -> FastAPI:
        return build_service_app(self, settings or self.settings_cls(), platform=platform)
