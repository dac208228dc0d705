"""`portal worker <service>` in a process of its own, as deployed: it serves the metrics
its tasks count, and the files worker opens the blob store its tasks need."""

from __future__ import annotations

import asyncio
import hashlib
import os
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import aiosmtplib
import httpx
import pytest
from celery import Celery
from files_harness import png
from portal_fixtures import drop_bucket
from skeleton import Processes
from sqlalchemy import select

from portal_chassis import registry
from portal_chassis.celery_app import make_celery
from portal_chassis.db import create_engine, make_session_factory
from portal_chassis.settings import PortalSettings
from portal_chassis.testing.cluster import free_port
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.storage.factory import blob_store
from portal_files.storage.s3 import S3BlobStore
from portal_tickets.directory.models import KnownUser
from portal_tickets.ticket.models import Category, Channel, Priority, Ticket

pytestmark = pytest.mark.integration

WorkerFactory = Callable[[str, dict[str, str]], tuple[Celery, subprocess.Popen[bytes]]]


@pytest.fixture
def start_worker(
    processes: Processes, amqp_url: str, redis_url: str, event_namespace: str
) -> Iterator[WorkerFactory]:
    """`start_worker(service, env)`: the worker process and a Celery client to send it
    tasks, in a broker namespace of the test's own."""
    clients: list[Celery] = []
    shared = {
        "PORTAL_AMQP_URL": amqp_url,
        "PORTAL_REDIS_URL": redis_url,
        "PORTAL_EVENT_NAMESPACE": event_namespace,
    }

    def start(service: str, env: dict[str, str]) -> tuple[Celery, subprocess.Popen[bytes]]:
        proc = processes.start(service, ["worker", service], {**shared, **env})
        module = registry.load(service)
        portal = PortalSettings(
            amqp_url=amqp_url, redis_url=redis_url, event_namespace=event_namespace
        )
        clients.append(make_celery(module, module.settings_cls(portal=portal)))
        return clients[-1], proc

    yield start
    # The worker goes first; then nothing of this test's namespace stays on the broker
    # (the task queue is durable).
    processes.stop_all()
    for celery in clients:
        with celery.connection_for_write() as connection:
            connection.default_channel.queue_delete(celery.conf.task_default_queue)


async def _run(celery: Celery, processes: Processes, service: str, name: str, **kw: str) -> object:
    try:
        result = celery.send_task(f"{service}.{name}", kwargs=kw)
        return await asyncio.to_thread(result.get, timeout=60)
    except Exception:
        print(processes.log(service))
        raise


# --- metrics ----------------------------------------------------------------------------


async def _overdue_ticket(database_url: str) -> None:
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            session.add(
                Ticket(
                    id=uuid.uuid4(),
                    seq=1,
                    number="T-1",
                    title="Conveyor belt stops",
                    category=Category.INCIDENT,
                    priority=Priority.P1,
                    creator_id=uuid.uuid4(),
                    contact_id=uuid.uuid4(),
                    sla_due_at=datetime.now(UTC) - timedelta(minutes=5),
                )
            )
            await session.commit()
    finally:
        await engine.dispose()


async def _scrape(url: str, proc: subprocess.Popen[bytes], *, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2.0) as client:
        while time.monotonic() < deadline:
            assert proc.poll() is None, "the worker exited"
            try:
                response = await client.get(url)
                if response.status_code == 200:
                    return response.text
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise TimeoutError(f"nothing served at {url}")


async def test_worker_serves_the_counters_its_tasks_increment(
    start_worker: WorkerFactory, processes: Processes, pg_databases, migrated_templates
) -> None:
    database_url = await pg_databases.create("tickets", template=migrated_templates["tickets"])
    await _overdue_ticket(database_url)
    port = free_port()
    celery, proc = start_worker(
        "tickets",
        {"TICKETS_DATABASE_URL": database_url, "PORTAL_WORKER_METRICS_PORT": str(port)},
    )
    url = f"http://127.0.0.1:{port}/metrics"
    before = await _scrape(url, proc)
    assert "# TYPE portal_sla_breaches_total counter" in before
    assert 'portal_sla_breaches_total{priority="P1"}' not in before

    assert await _run(celery, processes, "tickets", "scan_sla") == 1
    after = await _scrape(url, proc)
    assert 'portal_sla_breaches_total{priority="P1"} 1.0' in after


# --- the files worker's blob store -------------------------------------------------------


@pytest.fixture
async def s3_portal(s3_endpoint: str) -> AsyncIterator[PortalSettings]:
    """Settings for a bucket of the test's own on the S3 server, dropped afterwards."""
    portal = PortalSettings(
        s3_endpoint=s3_endpoint,
        s3_access_key=os.environ.get("PORTAL_TEST_S3_ACCESS_KEY", "minioadmin"),
        s3_secret_key=os.environ.get("PORTAL_TEST_S3_SECRET_KEY", "minioadmin"),
        s3_bucket=f"portal-test-{uuid.uuid4().hex[:12]}",
    )
    yield portal
    await drop_bucket(blob_store(portal))


async def _uploaded_image(portal: PortalSettings, database_url: str) -> uuid.UUID:
    """What an upload through the server leaves: the object, and its row."""
    store = blob_store(portal)
    assert isinstance(store, S3BlobStore)
    await store.ensure_bucket()
    image, file_id = png(), uuid.uuid4()

    async def chunks() -> AsyncIterator[bytes]:
        yield image

    await store.put(f"files/{file_id}", chunks(), content_type="image/png")
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            session.add(
                StoredFile(
                    id=file_id,
                    purpose=Purpose.ATTACHMENT,
                    name="photo.png",
                    original_name="photo.png",
                    size=len(image),
                    content_type="image/png",
                    sha256=hashlib.sha256(image).hexdigest(),
                    object_key=f"files/{file_id}",
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    return file_id


async def test_files_worker_makes_a_thumbnail_in_the_s3_store(
    start_worker: WorkerFactory,
    processes: Processes,
    s3_portal: PortalSettings,
    pg_databases,
    migrated_templates,
) -> None:
    database_url = await pg_databases.create("files", template=migrated_templates["files"])
    file_id = await _uploaded_image(s3_portal, database_url)
    celery, _ = start_worker(
        "files",
        {
            "FILES_DATABASE_URL": database_url,
            "PORTAL_S3_ENDPOINT": str(s3_portal.s3_endpoint),
            "PORTAL_S3_ACCESS_KEY": str(s3_portal.s3_access_key),
            "PORTAL_S3_SECRET_KEY": str(s3_portal.s3_secret_key),
            "PORTAL_S3_BUCKET": s3_portal.s3_bucket,
            "PORTAL_WORKER_METRICS_PORT": "0",
        },
    )
    assert await _run(celery, processes, "files", "make_thumbnail", file_id=str(file_id))

    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            row = await session.get(StoredFile, file_id)
            assert row is not None and row.thumbnail_key == f"thumbnails/{file_id}.jpg"
    finally:
        await engine.dispose()
    store = blob_store(s3_portal)
    thumbnail = b"".join([chunk async for chunk in store.get(row.thumbnail_key)])
    assert thumbnail.startswith(b"\xff\xd8")  # a JPEG


# --- the tickets worker's mail intake -----------------------------------------------------


async def _known_customer(database_url: str) -> uuid.UUID:
    """A customer as the directory copy holds them (identity's events put them there)."""
    user_id = uuid.uuid4()
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            session.add(
                KnownUser(
                    id=user_id,
                    username="ben",
                    display_name="Ben",
                    email="Ben@Example.com",
                    language="en",
                    organization_id=uuid.uuid4(),
                    roles=["customer"],
                    active=True,
                    as_of=datetime.now(UTC),
                )
            )
            await session.commit()
    finally:
        await engine.dispose()
    return user_id


async def _mail_tickets(database_url: str) -> list[Ticket]:
    engine = create_engine(database_url)
    try:
        async with make_session_factory(engine)() as session:
            rows = await session.scalars(select(Ticket).where(Ticket.channel == Channel.EMAIL))
            return list(rows)
    finally:
        await engine.dispose()


async def test_tickets_worker_takes_mail_in_on_its_smtp_receiver(
    start_worker: WorkerFactory, processes: Processes, pg_databases, migrated_templates
) -> None:
    database_url = await pg_databases.create("tickets", template=migrated_templates["tickets"])
    creator = await _known_customer(database_url)
    smtp_port, metrics_port = free_port(), free_port()
    _, proc = start_worker(
        "tickets",
        {
            "TICKETS_DATABASE_URL": database_url,
            "PORTAL_WORKER_METRICS_PORT": str(metrics_port),
            "PORTAL_INBOUND_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "PORTAL_SUPPORT_ADDRESS": "support@portal.test",
        },
    )
    await _scrape(f"http://127.0.0.1:{metrics_port}/metrics", proc)  # the worker is up
    mail = EmailMessage()
    mail["From"] = "ben@example.com"
    mail["To"] = "support@portal.test"
    mail["Subject"] = "Label printer offline"
    mail["Message-ID"] = f"<{uuid.uuid4()}@example.com>"
    mail.set_content("Since this morning.")
    for _ in range(100):  # the receiver starts beside the pool, moments after the worker
        try:
            await aiosmtplib.send(mail, hostname="127.0.0.1", port=smtp_port)
            break
        except aiosmtplib.SMTPConnectError:
            await asyncio.sleep(0.2)
    else:
        print(processes.log("tickets"))
        raise AssertionError("the worker's SMTP receiver never answered")

    [ticket] = await _mail_tickets(database_url)
    assert ticket.title == "Label printer offline" and ticket.creator_id == creator
    metrics = await _scrape(f"http://127.0.0.1:{metrics_port}/metrics", proc)
    assert 'portal_inbound_mails_total{outcome="opened",reason=""} 1.0' in metrics
