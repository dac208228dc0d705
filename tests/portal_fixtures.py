"""Shared fixtures: the portal in one process, and a populated world (a pytest plugin)."""

from __future__ import annotations

import asyncio
import email
import os
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from email import policy
from email.message import EmailMessage
from pathlib import Path
from unittest import mock

import httpx
import pytest
from portal_harness import ADMIN_PASSWORD, Portal
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from portal_chassis.bus import RetryPolicy
from portal_chassis.bus.rabbitmq import RabbitMQBus
from portal_chassis.settings import PortalSettings
from portal_chassis.stopping import cancel_and_wait
from portal_chassis.testing.backing import reachable
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace
from portal_identity.keys.ring import KeyRing
from portal_ops.allinone import create_allinone_app

# Files that start whole systems (Chromium and `portal dev`, processes per service, the
# API fuzzer) take minutes each and hold few tests: run them first, so that at the end
# of a parallel run no worker waits alone on one of them while the other is idle
# (`make test` keeps this order with --no-loadscope-reorder).
SLOW_FIRST = ("tests/fuzz/", "tests/browser/", "tests/system/")
SERVICES = ("identity", "tickets", "files", "faq", "notify")
# The environment before any test changed it: what a world image is made in.
_STARTING_ENVIRONMENT = dict(os.environ)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def weight(item: pytest.Item) -> int:
        return next(
            (rank for rank, path in enumerate(SLOW_FIRST) if item.nodeid.startswith(path)),
            len(SLOW_FIRST),
        )

    items.sort(key=weight)  # stable: the files keep their order within each rank


@pytest.fixture(scope="session")
def portal_templates(
    migrated_templates: dict[str, str], postgres_url: str
) -> Iterator[dict[str, str]]:
    """The migrated templates, identity's with its first signing key already made: making
    an RSA key costs a good part of a CPU second, at every test portal's start otherwise."""
    dbs = PostgresDatabases(postgres_url)

    async def with_key() -> str:
        url = await dbs.create("tmpl_identity_keyed", template=migrated_templates["identity"])
        engine = create_async_engine(url)
        try:
            await KeyRing(async_sessionmaker(engine), grace=timedelta(days=1)).load()
        finally:
            await engine.dispose()
        return url.rsplit("/", 1)[1]

    yield {**migrated_templates, "identity": asyncio.run(with_key())}
    asyncio.run(dbs.drop_all())


@pytest.fixture
async def portal(pg_databases, portal_templates, tmp_path: Path) -> AsyncIterator[Portal]:
    urls = {
        name: await pg_databases.create(name, template=portal_templates[name]) for name in SERVICES
    }
    async for running in _run(tmp_path, urls):
        yield running


@pytest.fixture
async def mail_portal(
    pg_databases, portal_templates, tmp_path: Path, smtp_sink: SmtpSink
) -> AsyncIterator[Portal]:
    """`portal`, sending its mails to a real SMTP server process (`smtp_sink`)."""
    urls = {
        name: await pg_databases.create(name, template=portal_templates[name]) for name in SERVICES
    }
    async for running in _run(tmp_path / "portal", urls, smtp_url=smtp_sink.url):
        yield running


@pytest.fixture
async def mail_world(
    pg_databases, pg_world_image: WorldImage, tmp_path: Path, smtp_sink: SmtpSink
) -> AsyncIterator[Portal]:
    """`world`, sending its mails to a real SMTP server process (`smtp_sink`)."""
    urls = await pg_world_image.copy_databases(pg_databases)
    async for running in _run(tmp_path / "portal", urls, smtp_url=smtp_sink.url):
        yield pg_world_image.fill(running)


class SmtpSink:
    """A real SMTP server in its own process (tests/smtp_sink.py) and what it received."""

    def __init__(self, directory: Path, port: int, process: subprocess.Popen) -> None:
        self.directory = directory
        self.port = port
        self.process = process
        self.url = f"smtp://127.0.0.1:{port}"

    def mails(self) -> list[EmailMessage]:
        found = []
        for path in sorted(self.directory.glob("*.eml")):
            with path.open("rb") as f:
                found.append(email.message_from_binary_file(f, policy=policy.default))
        return found  # type: ignore[return-value]

    def refused(self) -> int:
        log = self.directory / "refused.log"
        return len(log.read_text().splitlines()) if log.exists() else 0


def _start_sink(directory: Path, refuse: int | None, port: int | None) -> SmtpSink:
    if port is None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
    args = [
        sys.executable,
        str(Path(__file__).with_name("smtp_sink.py")),
        str(port),
        str(directory),
    ]
    process = subprocess.Popen([*args, *([str(refuse)] if refuse else [])])
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return SmtpSink(directory, port, process)
        except OSError:
            assert process.poll() is None, "the SMTP sink did not start"
            time.sleep(0.05)
    process.kill()
    raise RuntimeError("the SMTP sink did not answer")


@pytest.fixture
def smtp_sink_factory(tmp_path: Path) -> Iterator[Callable[..., SmtpSink]]:
    started: list[SmtpSink] = []

    def start(refuse: int | None = None, port: int | None = None) -> SmtpSink:
        sink = _start_sink(tmp_path / f"smtp{len(started)}", refuse, port)
        started.append(sink)
        return sink

    yield start
    for sink in started:
        sink.process.terminate()
        sink.process.wait(timeout=10)


@pytest.fixture
def smtp_sink(smtp_sink_factory: Callable[..., SmtpSink]) -> SmtpSink:
    return smtp_sink_factory()


@pytest.fixture
async def sqlite_portal(tmp_path: Path) -> AsyncIterator[Portal]:
    """The same, on the embedded SQLite databases of the all-in-one mode."""
    async for running in _run(tmp_path, {}):
        yield running


def _s3_settings() -> dict[str, str]:
    """Where a real S3 server is configured (always in CI), files go there, each test
    in a bucket of its own; otherwise to the local disk of the all-in-one mode."""
    endpoint = os.environ.get("PORTAL_TEST_S3_ENDPOINT")
    if not endpoint or not reachable(endpoint):
        return {}
    return {
        "s3_endpoint": endpoint,
        "s3_access_key": os.environ.get("PORTAL_TEST_S3_ACCESS_KEY", "minioadmin"),
        "s3_secret_key": os.environ.get("PORTAL_TEST_S3_SECRET_KEY", "minioadmin"),
        "s3_bucket": f"portal-test-{uuid.uuid4().hex[:12]}",
    }


def _broker() -> RabbitMQBus | None:
    """Where RabbitMQ is configured (always in CI) the services talk through it, in a
    namespace of the test's own; otherwise through the in-memory bus."""
    url = os.environ.get("PORTAL_TEST_AMQP_URL")
    if not url or not reachable(url):
        return None
    return RabbitMQBus(url, namespace=f"test{uuid.uuid4().hex[:10]}", retry=RetryPolicy(3, 0.2))


async def _end_what_the_portal_left(before: set[asyncio.Task[object]]) -> None:
    """Tasks begun while the portal ran and still going once it stopped: cancelled here,
    again and again for a bounded time. The event loop's own teardown cancels each once
    and then waits without a bound, so one that swallows a cancel (or awaits cleanup
    that never comes) would hang the run; the stack of one that will not end is shown."""
    left = asyncio.all_tasks() - before - {asyncio.current_task()}
    if left and not await cancel_and_wait(left, what="tasks the portal left", timeout=10):
        for task in left:
            if not task.done():
                task.print_stack(file=sys.stderr)


async def _run(tmp_path: Path, urls: dict[str, str], **portal: str) -> AsyncIterator[Portal]:
    s3 = _s3_settings()
    broker = _broker()
    before = asyncio.all_tasks()
    app = create_allinone_app(
        portal=PortalSettings(
            data_dir=tmp_path,
            bootstrap_admin_password=ADMIN_PASSWORD,
            outbox_poll_seconds=0.2,
            # An ended sign-in is refused within a poll and one poll's own time; shorter
            # than the 2 s default, so that the tests of ended sign-ins wait less.
            revocation_poll_seconds=0.5,
            **s3,
            **portal,
        ),
        database_urls=urls,
        bus=broker,
    )
    try:
        async with app.router.lifespan_context(app):
            if broker is not None:
                await broker.wait_ready()
            # As `portal serve` takes a trusted proxy's X-Forwarded-For (uvicorn's proxy
            # headers): the tests' client plays the ingress in front of the portal.
            served = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")
            transport = httpx.ASGITransport(app=served, raise_app_exceptions=False)
            async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
                portal = Portal(app, client)
                yield portal
                if s3:
                    await drop_bucket(portal.files.state["store"])
    finally:
        if broker is not None:
            queues = sorted({s.queue for s in broker.subscriptions})
            await delete_namespace(broker.url, broker.namespace, queues, broker.retry)
        await _end_what_the_portal_left(before)


async def drop_bucket(store: object) -> None:
    from minio.error import S3Error

    client, bucket = store.client, store.bucket  # type: ignore[attr-defined]
    # Swift updates container listings a moment after a write: retry until it is empty.
    for _ in range(50):
        for key in await store.keys():  # type: ignore[attr-defined]
            await asyncio.to_thread(client.remove_object, bucket, key)
        try:
            await asyncio.to_thread(client.remove_bucket, bucket)
            return
        except S3Error:
            await asyncio.sleep(0.1)


@dataclass(frozen=True)
class WorldImage:
    """A populated world's databases, made once per test process: each `world` starts on
    copies of them rather than making the same organizations and people again through
    the API (half of a test's set-up time)."""

    orgs: dict[str, str]
    ids: dict[str, str]
    templates: dict[str, str]  # PostgreSQL: a template database per service
    data_dir: Path | None = None  # SQLite: the all-in-one mode's data directory

    async def copy_databases(self, dbs: PostgresDatabases) -> dict[str, str]:
        return {name: await dbs.create(name, template=self.templates[name]) for name in SERVICES}

    def copy_data_dir(self, to: Path) -> None:
        assert self.data_dir is not None
        shutil.copytree(self.data_dir, to, dirs_exist_ok=True)

    def fill(self, portal: Portal) -> Portal:
        portal.orgs, portal.ids = dict(self.orgs), dict(self.ids)
        return portal


def _make_image(data_dir: Path, urls: dict[str, str]) -> WorldImage:
    """Start a portal in the environment the run began with (not one a test has
    changed), populate it and stop it: its databases are then the image."""

    async def build() -> WorldImage:
        made = []
        async for running in _run(data_dir, urls):  # stopped as a test's portal is
            await populate(running)
            made.append((running.orgs, running.ids))
        [(orgs, ids)] = made
        templates = {name: url.rsplit("/", 1)[1] for name, url in urls.items()}
        return WorldImage(orgs, ids, templates, data_dir=None if urls else data_dir)

    with mock.patch.dict(os.environ, _STARTING_ENVIRONMENT, clear=True):
        return asyncio.run(build())


@pytest.fixture(scope="session")
def pg_world_image(
    portal_templates: dict[str, str], postgres_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[WorldImage]:
    dbs = PostgresDatabases(postgres_url)

    async def copies() -> dict[str, str]:
        return {
            name: await dbs.create(f"world_{name}", template=portal_templates[name])
            for name in SERVICES
        }

    yield _make_image(tmp_path_factory.mktemp("pg-world"), asyncio.run(copies()))
    asyncio.run(dbs.drop_all())


@pytest.fixture(scope="session")
def sqlite_world_image(tmp_path_factory: pytest.TempPathFactory) -> WorldImage:
    return _make_image(tmp_path_factory.mktemp("sqlite-world"), {})


@pytest.fixture
async def world(pg_databases, pg_world_image: WorldImage, tmp_path: Path) -> AsyncIterator[Portal]:
    """Two customer organizations (Acme with a priority contract, Globex without and
    without organization-wide visibility), their people, and an agent."""
    urls = await pg_world_image.copy_databases(pg_databases)
    async for running in _run(tmp_path, urls):
        yield pg_world_image.fill(running)


@pytest.fixture
async def sqlite_world(sqlite_world_image: WorldImage, tmp_path: Path) -> AsyncIterator[Portal]:
    """`world` on the embedded SQLite databases of the all-in-one mode."""
    sqlite_world_image.copy_data_dir(tmp_path)
    async for running in _run(tmp_path, {}):
        yield sqlite_world_image.fill(running)


async def populate(portal: Portal) -> Portal:
    acme = await portal.organization("Acme", priority_contract=True)
    globex = await portal.organization("Globex", org_wide_visibility=False)
    portal.orgs = {"acme": acme, "globex": globex}
    portal.ids = {
        "anna": await portal.user("anna", ["customer_admin"], acme),
        "ben": await portal.user("ben", ["customer"], acme),
        "carla": await portal.user("carla", ["customer"], globex),
        "dan": await portal.user("dan", ["customer"], globex),
        "erik": await portal.user("erik", ["agent"], None),
    }
    await portal.settle()
    return portal
