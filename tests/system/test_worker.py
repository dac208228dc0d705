"""`portal worker <service>`: a Celery worker process on RabbitMQ with Redis results."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, insert, select

from portal_chassis import registry
from portal_chassis.celery_app import make_celery
from portal_chassis.db import create_engine
from portal_chassis.settings import PortalSettings

pytestmark = [pytest.mark.integration, pytest.mark.system]


async def test_worker_runs_the_scheduled_housekeeping_task(
    pg_databases, amqp_url, redis_url, event_namespace, processes
) -> None:
    module = registry.load("tickets")
    database_url = await pg_databases.create("worker")
    env = {
        "PORTAL_AMQP_URL": amqp_url,
        "PORTAL_REDIS_URL": redis_url,
        "PORTAL_EVENT_NAMESPACE": event_namespace,
        "TICKETS_DATABASE_URL": database_url,
    }
    migrated = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "portal_ops.cli", "migrate", "tickets"],
        env={**os.environ, **env},
        capture_output=True,
        timeout=120,
    )
    assert migrated.returncode == 0, migrated.stderr

    outbox = module.tables.outbox
    old, recent = datetime.now(UTC) - timedelta(days=30), datetime.now(UTC)
    engine = create_engine(database_url)
    async with engine.begin() as conn:
        await conn.execute(
            insert(outbox),
            [
                {"event_id": uuid.uuid4(), "type": "t", "payload": "{}", "published_at": old},
                {"event_id": uuid.uuid4(), "type": "t", "payload": "{}", "published_at": recent},
                {"event_id": uuid.uuid4(), "type": "t", "payload": "{}", "published_at": None},
            ],
        )

    processes.start("worker", ["worker", "tickets"], env)
    settings = module.settings_cls(
        database_url=database_url,
        portal=PortalSettings(
            amqp_url=amqp_url, redis_url=redis_url, event_namespace=event_namespace
        ),
    )
    celery = make_celery(module, settings)
    try:
        result = celery.send_task("tickets.prune_messaging")
        outcome = await asyncio.to_thread(result.get, timeout=60)
    except Exception:
        print(processes.log("worker"))
        raise
    assert outcome == {"outbox": 1, "inbox": 0}
    async with engine.connect() as conn:
        left = await conn.scalar(select(func.count()).select_from(outbox))
    await engine.dispose()
    assert left == 2  # the recent and the unpublished rows stay
