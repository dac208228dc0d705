"""The all-in-one mode: every service in one process on the embedded adapters."""

from __future__ import annotations

from pathlib import Path

import httpx
from skeleton import ADMIN_PASSWORD, skeleton_flow, wait_until_ready

from portal_chassis.settings import PortalSettings
from portal_chassis.testing.cluster import free_port
from portal_ops.allinone import create_allinone_app


async def test_skeleton_flow_through_the_gateway_in_one_process(tmp_path: Path) -> None:
    app = create_allinone_app(
        portal=PortalSettings(data_dir=tmp_path, bootstrap_admin_password=ADMIN_PASSWORD)
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
            result = await skeleton_flow(client)

            unknown = await client.get("/api/v1/no-such-thing", headers=result["auth"])
            assert unknown.status_code == 404
            assert unknown.headers["content-type"] == "application/problem+json"

            foreign = await client.get("/api/v1/tickets/T999999", headers=result["auth"])
            assert foreign.status_code == 404 and foreign.json()["status"] == 404

            anonymous = await client.get("/api/v1/me")
            assert anonymous.status_code == 401
            assert anonymous.headers["content-type"] == "application/problem+json"

            forged = await client.get("/api/v1/me", headers={"Authorization": "Bearer x.y.z"})
            assert forged.status_code == 401


async def test_portal_dev_serves_health_metrics_and_the_demo_admin(
    tmp_path: Path, processes
) -> None:
    port = free_port()
    proc = processes.start(
        "dev", ["dev", "--demo", "--port", str(port), "--data-dir", str(tmp_path / "data")], env={}
    )
    base = f"http://127.0.0.1:{port}"
    await wait_until_ready(f"{base}/readyz", timeout=60, proc=proc)
    async with httpx.AsyncClient(base_url=base) as client:
        assert (await client.get("/healthz")).json() == {"status": "ok"}
        ready = (await client.get("/readyz")).json()
        assert ready["status"] == "ready"
        assert {"identity.database", "tickets.bus", "notify.database"} <= set(ready["checks"])

        await skeleton_flow(client, password=_demo_password(processes.log("dev")))

        metrics = (await client.get("/metrics")).text
        assert "portal_http_request_duration_seconds_bucket" in metrics
        assert 'service="gateway"' in metrics and 'route="/api/v1/tickets"' in metrics
        assert (
            'portal_events_published_total{service="tickets",type="tickets.ticket.created"}'
            in metrics
        )
        assert "portal_events_consumed_total" in metrics and "portal_outbox_backlog" in metrics

        missing = await client.get("/api/v1/does-not-exist")
        assert missing.status_code == 404
        assert missing.headers["content-type"] == "application/problem+json"


def _demo_password(log: str) -> str:
    for line in log.splitlines():
        if line.strip().startswith("admin / "):
            return line.split("/", 1)[1].split()[0]
    raise AssertionError(f"no demo credentials printed:\n{log}")


async def test_tasks_run_inline_in_all_in_one_mode(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta
    from uuid import uuid4

    from sqlalchemy import func, insert, select

    app = create_allinone_app(portal=PortalSettings(data_dir=tmp_path))
    async with app.router.lifespan_context(app):
        runtime = app.state.gateway["platform"].embedded["notify"].state.portal
        outbox = runtime.module.tables.outbox
        async with runtime.engine.begin() as conn:
            await conn.execute(
                insert(outbox).values(
                    event_id=uuid4(),
                    type="t",
                    payload="{}",
                    published_at=datetime.now(UTC) - timedelta(days=30),
                )
            )
        await runtime.tasks.enqueue("prune_messaging")
        await runtime.tasks.drain()
        async with runtime.engine.connect() as conn:
            assert await conn.scalar(select(func.count()).select_from(outbox)) == 0
