"""A running service: its engine, bus, relay, verifier and consumers, started and
stopped in order by the app's lifespan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import httpx
from sqlalchemy import MetaData

from portal_chassis import db, metrics, schema_state
from portal_chassis.auth import TokenVerifier
from portal_chassis.bus import EventBus, RetryPolicy, bus_from_url
from portal_chassis.consumers import Consumer, Dispatcher
from portal_chassis.messaging import MessagingTables
from portal_chassis.outbox import OutboxRelay
from portal_chassis.platform import Platform
from portal_chassis.ratelimit import RateLimiter, rate_limiter_from_url
from portal_chassis.readthrough import FETCH_SECONDS, ReadThroughs
from portal_chassis.revocation import RevocationList, RevocationSource
from portal_chassis.settings import ServiceSettings
from portal_chassis.stopping import STEP_SECONDS, cancel_and_wait, within
from portal_chassis.tasks import TaskDef, TaskRunner
from portal_chassis.uow import UnitOfWork

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)

Hook = Callable[["Runtime"], Coroutine[Any, Any, None]]


class ServiceSpec(Protocol):
    """What a runtime reads of its service's declaration (`module.ServiceModule`)."""

    @property
    def name(self) -> str: ...
    @property
    def metadata(self) -> MetaData: ...
    @property
    def tables(self) -> MessagingTables: ...
    @property
    def uow_cls(self) -> type[UnitOfWork]: ...
    @property
    def versions(self) -> Path: ...
    @property
    def consumers(self) -> Sequence[Consumer]: ...
    @property
    def tasks(self) -> Sequence[TaskDef]: ...
    @property
    def on_startup(self) -> Sequence[Hook]: ...
    @property
    def readiness(self) -> Sequence[Callable[[Runtime], Awaitable[dict[str, bool]]]]: ...
    @property
    def background(self) -> Sequence[Hook]: ...
    @property
    def worker_jobs(self) -> Sequence[Hook]: ...
    @property
    def gauges(self) -> Sequence[Hook]: ...
    @property
    def local_jwks(self) -> Callable[[Runtime], Callable[[], Awaitable[dict[str, Any]]]] | None: ...
    @property
    def local_revocations(self) -> Callable[[Runtime], RevocationSource] | None: ...


def make_worker(module: ServiceSpec, settings: ServiceSettings) -> Celery:
    """The Celery app of `portal worker`: its tasks get a runtime of their own."""
    from portal_chassis.celery_app import make_celery

    return make_celery(module, settings, runtime=lambda: Runtime(module, settings))


class Runtime:
    def __init__(
        self, module: ServiceSpec, settings: ServiceSettings, platform: Platform | None = None
    ) -> None:
        self.module = module
        self.name = module.name
        self.tables = module.tables
        self.settings = settings
        self.platform = platform or Platform()
        portal = settings.portal
        self.database_url = settings.resolved_database_url(module.name)
        self.engine = db.create_engine(
            self.database_url,
            statement_timeout=portal.db_statement_timeout_seconds,
            pool_size=portal.db_pool_size,
        )
        self.session_factory = db.make_session_factory(self.engine)
        self.read_session_factory = db.make_read_session_factory(self.engine)
        self._owns_bus = self.platform.bus is None
        self.bus: EventBus = self.platform.bus or bus_from_url(
            portal.amqp_url,
            retry=RetryPolicy(portal.event_max_retries, portal.event_retry_base_seconds),
            namespace=portal.event_namespace,
        )
        self.relay = OutboxRelay(
            self.session_factory,
            module.tables,
            self.bus,
            service=module.name,
            poll_seconds=portal.outbox_poll_seconds,
        )
        self.dispatcher = Dispatcher(
            service=module.name, consumers=module.consumers, uow=self.uow, runtime=self
        )
        self._identity: httpx.AsyncClient | None = None
        source = module.local_jwks(self) if module.local_jwks else self._fetch_jwks
        revoked = (
            module.local_revocations(self) if module.local_revocations else self._fetch_revocations
        )
        self.revocations = RevocationList(revoked, poll_seconds=portal.revocation_poll_seconds)
        self.verifier = TokenVerifier(
            source,
            issuer=portal.issuer,
            audience=portal.token_audience,
            cache_seconds=portal.jwks_cache_seconds,
            revocations=self.revocations,
        )
        self.tasks = TaskRunner(self, module, settings)
        self.read_throughs = ReadThroughs(
            service=module.name,
            urls_of=settings.urls_of,
            client=lambda owner: self.http_client(owner, "", timeout=FETCH_SECONDS),
            session_factory=self.session_factory,
        )
        self._background: list[asyncio.Task[None]] = []
        self.limiter: RateLimiter = rate_limiter_from_url(
            portal.redis_url, prefix=f"{portal.event_namespace}:rl:{module.name}:"
        )
        # Free-form room for a service's own long-lived objects (clients, caches).
        self.state: dict[str, Any] = {}
        self._scripts: schema_state.Scripts | None = None
        self._migrated = False

    def uow(self) -> UnitOfWork:
        return self.module.uow_cls(
            self.session_factory,
            producer=self.name,
            tables=self.module.tables,
            on_commit=self.relay.wake,
            read_throughs=self.read_throughs,
            read_session_factory=self.read_session_factory,
        )

    def http_client(
        self, service: str, base_url: str, *, timeout: float = 5.0
    ) -> httpx.AsyncClient:
        """A client to another service: in-process in all-in-one mode, HTTP otherwise."""
        return httpx.AsyncClient(
            base_url=base_url, transport=self.platform.transports.get(service), timeout=timeout
        )

    async def _fetch_jwks(self) -> dict[str, Any]:
        return await self._from_identity("/.well-known/jwks.json")

    async def _fetch_revocations(self, cursor: str | None) -> dict[str, Any]:
        return await self._from_identity(
            "/internal/v1/revocations", params={"since": cursor} if cursor else None
        )

    async def _from_identity(
        self, path: str, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        if self._identity is None:
            self._identity = self.http_client("identity", "")
        failure: Exception = RuntimeError("IDENTITY_URL names no URL")
        for url in self.settings.identity_urls:  # replicas of identity: the first that answers
            try:
                response = await self._identity.get(f"{url}{path}", params=params)
                response.raise_for_status()
                answer: dict[str, Any] = response.json()
                return answer
            except httpx.HTTPError as exc:
                failure = exc
        raise failure

    async def start(self) -> None:
        if self.settings.portal.auto_migrate:
            await self.migrate()
        if self.dispatcher.consumers:
            self.bus.subscribe(self.name, self.dispatcher.patterns, self.dispatcher)
        if self._owns_bus:
            await self.bus.start()
        for hook in self.module.on_startup:
            await hook(self)
        # Where tasks run inline (all-in-one), the worker's own jobs run here too.
        worker_jobs = self.module.worker_jobs if self.tasks.eager else ()
        self._background = [
            asyncio.create_task(job(self), name=f"{self.name}-{job.__name__}")
            for job in (*self.module.background, *worker_jobs)
        ]
        self._background += [
            asyncio.create_task(
                metrics.keep_fresh(partial(gauge, self), name=gauge.__name__),
                name=f"{self.name}-{gauge.__name__}",
            )
            for gauge in self.module.gauges
        ]
        self._background += self.tasks.start_schedule()
        self._background.append(
            asyncio.create_task(self.revocations.run(), name=f"{self.name}-revocations")
        )
        self.relay.start()
        log.info("service started", extra={"service": self.name})

    async def stop(self) -> None:
        """Stop in order; every step is bounded, so a database or broker that went silent
        cannot keep the process (or a test's teardown) from ending."""
        await cancel_and_wait(self._background, what=f"{self.name} background jobs")
        await self.tasks.drain(timeout=STEP_SECONDS)
        await self.relay.stop()
        if self._owns_bus:
            await within(self.bus.close(), what=f"{self.name} event bus")
        if self._identity is not None:
            await within(self._identity.aclose(), what=f"{self.name} identity client")
        await within(self.limiter.close(), what=f"{self.name} rate limiter")
        if not await within(self.engine.dispose(), what=f"{self.name} database pool"):
            # Forget the connections without a goodbye to a server that does not answer.
            await self.engine.dispose(close=False)

    async def migrate(self) -> None:
        """Bring the database to this code's migrations. One already there costs one
        query (every start of the all-in-one mode reaches here)."""
        if not await self._schema_current():
            from portal_chassis import migrations  # Alembic: only where it migrates

            await migrations.upgrade(self.alembic_config())

    async def declare_topology(self) -> None:
        """Declare this service's broker queues (deploy time; see RabbitMQBus.declare)."""
        declare = getattr(self.bus, "declare", None)
        if declare is not None and self.dispatcher.consumers:
            self.bus.subscribe(self.name, self.dispatcher.patterns, self.dispatcher)
            await declare()

    def alembic_config(self) -> Any:
        from portal_chassis import migrations

        return migrations.alembic_config(
            versions=self.module.versions, metadata=self.module.metadata, url=self.database_url
        )

    async def readiness(self) -> dict[str, bool]:
        checks = {"database": False, "migrations": False, "bus": self.bus.is_ready()}
        try:
            await asyncio.wait_for(db.ping(self.engine), timeout=2.0)
            checks["database"] = True
        except Exception:
            log.warning("database not reachable", extra={"service": self.name})
        if checks["database"]:
            checks["migrations"] = await self._schema_current()
        for check in self.module.readiness:
            try:
                checks.update(await asyncio.wait_for(check(self), timeout=2.0))
            except Exception:
                checks[getattr(check, "__name__", "extra")] = False
        return checks

    async def _schema_current(self) -> bool:
        """Whether the database has this code's migrations: a server started before
        `portal migrate` must not take traffic. Once true it stays true for the process
        (migrations only go forward), so only the checks before cost queries."""
        if self._migrated:
            return True
        try:
            if self._scripts is None:
                self._scripts = await asyncio.to_thread(
                    schema_state.Scripts.read, self.module.versions
                )
            current = await asyncio.wait_for(schema_state.current_revisions(self.engine), 2.0)
        except Exception:
            log.warning("migration state unknown", extra={"service": self.name}, exc_info=True)
            return False
        self._migrated = not self._scripts.behind(current)
        return self._migrated
