"""pytest plugin with the portal's shared fixtures (enabled in the root pyproject)."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest

from portal_chassis.bus import RetryPolicy
from portal_chassis.testing.backing import availability, resolve


def _postgres_container() -> str:
    from testcontainers.postgres import PostgresContainer

    container = PostgresContainer("postgres:15-alpine", driver="asyncpg")
    container.start()
    return container.get_connection_url()


def _rabbitmq_container() -> str:
    from testcontainers.rabbitmq import RabbitMqContainer

    container = RabbitMqContainer("rabbitmq:3.13-alpine")
    container.start()
    return f"amqp://guest:guest@{container.get_container_host_ip()}:{container.get_exposed_port(5672)}/"


def _redis_container() -> str:
    from testcontainers.redis import RedisContainer

    container = RedisContainer("redis:7-alpine")
    container.start()
    return f"redis://{container.get_container_host_ip()}:{container.get_exposed_port(6379)}/0"


def _minio_container() -> str:
    from testcontainers.minio import MinioContainer

    container = MinioContainer()
    container.start()
    return f"http://{container.get_container_host_ip()}:{container.get_exposed_port(9000)}"


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """An administrative PostgreSQL URL (`postgresql+asyncpg://...`)."""
    return resolve("postgres", _postgres_container)


@pytest.fixture(scope="session")
def amqp_url() -> str:
    return resolve("amqp", _rabbitmq_container)


@pytest.fixture(scope="session")
def redis_url() -> str:
    return resolve("redis", _redis_container)


@pytest.fixture(scope="session")
def s3_endpoint() -> str:
    return resolve("s3", _minio_container)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


async def _admin(url: str, *statements: str) -> None:
    import asyncpg  # type: ignore[import-untyped]

    dsn = _with_database(url, "postgres").replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        for statement in statements:  # one at a time: CREATE/DROP DATABASE take no block
            await conn.execute(statement)
    finally:
        await conn.close()


class PostgresDatabases:
    """Creates throw-away databases on the test server and drops them afterwards."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self.created: list[str] = []

    async def create(self, label: str = "t", *, template: str | None = None) -> str:
        """A new database; a copy of `template` (a database name) when one is given."""
        name = f"portal_test_{label}_{uuid.uuid4().hex[:10]}"
        # Copying the template's files takes half the time of writing its pages through
        # the WAL (PostgreSQL 15's default); a test database needs no WAL of its making.
        copy = f' TEMPLATE "{template}" STRATEGY FILE_COPY' if template else ""
        await _admin(self.admin_url, f'CREATE DATABASE "{name}"{copy}')
        self.created.append(name)
        return _with_database(self.admin_url, name)

    async def drop_all(self) -> None:
        if self.created:
            drops = [f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.created]
            await _admin(self.admin_url, *drops)
        self.created.clear()


@pytest.fixture
async def pg_databases(postgres_url: str) -> AsyncIterator[PostgresDatabases]:
    dbs = PostgresDatabases(postgres_url)
    yield dbs
    await dbs.drop_all()


@pytest.fixture
async def pg_url(pg_databases: PostgresDatabases) -> str:
    """A fresh, empty PostgreSQL database for one test."""
    return await pg_databases.create()


@pytest.fixture(scope="session")
def migrated_templates(postgres_url: str) -> Iterator[dict[str, str]]:
    """Per service, a database migrated to head once per test session, for
    `PostgresDatabases.create(template=...)`: copying one is much cheaper than migrating
    every test's databases from scratch (the service still checks its revision at start)."""
    import asyncio

    from portal_chassis import migrations, registry

    templates: dict[str, str] = {}
    dbs = PostgresDatabases(postgres_url)

    async def build() -> None:
        for name in ("identity", "tickets", "files", "faq", "notify"):
            module = registry.load(name)
            url = await dbs.create(f"tmpl_{name}")
            await migrations.upgrade(
                migrations.alembic_config(
                    versions=module.versions, metadata=module.metadata, url=url
                )
            )
            templates[name] = url.rsplit("/", 1)[1]

    asyncio.run(build())
    yield templates
    asyncio.run(dbs.drop_all())


@pytest.fixture
def event_namespace() -> Iterator[str]:
    """A broker namespace of its own, so tests never see each other's messages."""
    yield f"test{uuid.uuid4().hex[:10]}"


async def delete_namespace(
    amqp_url: str, namespace: str, queues: list[str], retry: RetryPolicy | None = None
) -> None:
    """Remove the exchanges and queues that buses of `namespace` declared for `queues`,
    and the services' Celery task queues (`<namespace>.<service>.tasks`), which hold every
    task no worker took."""
    import aio_pika

    from portal_chassis.bus.rabbitmq import RabbitMQBus
    from portal_chassis.registry import SERVICE_ORDER

    names = RabbitMQBus(amqp_url, namespace=namespace, retry=retry)
    connection = await aio_pika.connect(amqp_url)

    async def delete(queues: list[str], exchanges: list[str]) -> None:
        channel = await connection.channel()  # a channel's calls go one at a time
        for name in queues:
            await channel.queue_delete(name)
        for name in exchanges:
            await channel.exchange_delete(name)

    try:
        await asyncio.gather(
            *(delete(names.queue_names(queue), []) for queue in queues),
            *(
                delete([f"{namespace}.{service}.tasks"], [f"{namespace}.{service}.tasks"])
                for service in SERVICE_ORDER
            ),
        )
        await delete([], [names.exchange_name, names.dlx_name])
    finally:
        await connection.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if availability.missing:
        terminalreporter.section("BACKING SERVICES MISSING", sep="!", red=True, bold=True)
        for message in availability.missing.values():
            terminalreporter.write_line(f"SKIPPED TESTS: {message}", red=True, bold=True)


def pytest_configure(config: pytest.Config) -> None:
    # Tests build their settings objects explicitly; stray PORTAL_* variables from the
    # developer's shell must not leak into them through pydantic-settings.
    for key in list(os.environ):
        if key.startswith(("PORTAL_", "IDENTITY_", "TICKETS_", "FILES_", "FAQ_", "NOTIFY_")) and (
            not key.startswith("PORTAL_TEST_")
        ):
            del os.environ[key]
