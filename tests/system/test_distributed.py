"""The distributed mode: the gateway and each service in its own uvicorn process, on
PostgreSQL (one database per service) and RabbitMQ, exactly as in production."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys

import httpx
import pytest
from monitoring_kit import SYNTHETIC, series_names, used_metrics
from prometheus_client.parser import text_string_to_metric_families
from skeleton import ADMIN_PASSWORD, poll, skeleton_flow, wait_until_ready

from portal_chassis.testing.cluster import free_port
from portal_chassis.testing.plugin import delete_namespace

pytestmark = [pytest.mark.integration, pytest.mark.system]

SERVICES = ("identity", "tickets", "files", "faq", "notify")


async def test_skeleton_flow_across_six_processes(
    pg_databases, amqp_url, redis_url, event_namespace, processes, smtp_sink
) -> None:
    ports = {name: free_port() for name in (*SERVICES, "gateway")}
    env = {
        "PORTAL_AMQP_URL": amqp_url,
        "PORTAL_REDIS_URL": redis_url,
        "PORTAL_SMTP_URL": smtp_sink.url,
        "PORTAL_EVENT_NAMESPACE": event_namespace,
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "PORTAL_OUTBOX_POLL_SECONDS": "0.5",
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = await pg_databases.create(name)
        env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"

    migrate = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "portal_ops.cli", "migrate", "all"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert migrate.returncode == 0, migrate.stderr

    try:
        procs = {
            name: processes.start(name, ["serve", name, "--port", str(port)], env)
            for name, port in ports.items()
        }
        # Mails go out from the notify service's Celery worker, on the same broker; the
        # tickets worker runs the SLA scan. Each serves its metrics on a port of its own.
        workers = {name: free_port() for name in ("notify", "tickets")}
        for name, port in workers.items():
            worker_env = {**env, "PORTAL_WORKER_METRICS_PORT": str(port)}
            processes.start(f"{name}-worker", ["worker", name], worker_env)
        for name, port in ports.items():
            await wait_until_ready(f"http://127.0.0.1:{port}/readyz", timeout=90, proc=procs[name])

        gateway = f"http://127.0.0.1:{ports['gateway']}"
        async with httpx.AsyncClient(base_url=gateway, timeout=10) as client:
            result = await skeleton_flow(client)
            auth = result["auth"]

            # Every service verifies tokens itself, not only the gateway.
            direct = (
                f"http://127.0.0.1:{ports['tickets']}/api/v1/tickets/{result['ticket']['number']}"
            )
            assert (await client.get(direct)).status_code == 401
            assert (await client.get(direct, headers=auth)).status_code == 200

            unknown = await client.get("/api/v1/unknown", headers=auth)
            assert unknown.status_code == 404
            assert unknown.headers["content-type"] == "application/problem+json"

            # The correlation id given at the edge travelled through the event to notify.
            assert "skeleton-flow" in processes.log("notify")

            await _live_and_mailed(client, result, smtp_sink, processes)

            for port in ports.values():
                metrics = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                assert "portal_http_request_duration_seconds_bucket" in metrics
            await _rules_and_panels_find_their_metrics(client, [*ports.values(), *workers.values()])
            tickets_metrics = (
                await client.get(f"http://127.0.0.1:{ports['tickets']}/metrics")
            ).text
            assert 'portal_events_published_total{service="tickets"' in tickets_metrics
    finally:
        processes.stop_all()
        await delete_namespace(amqp_url, event_namespace, ["notify"])


async def _live_and_mailed(client: httpx.AsyncClient, result: dict, smtp_sink, processes) -> None:
    """The agent's browser, connected to the event stream through the gateway, hears of a
    new ticket at once; the worker mails it to the agent through the SMTP server."""
    agent = result["agent_auth"]
    async with client.stream(
        "GET", "/api/v1/notifications/stream", headers=agent, timeout=30
    ) as stream:
        assert stream.status_code == 200
        lines = stream.aiter_lines()
        assert await anext(lines) == "retry: 3000"
        created = await client.post(
            "/api/v1/tickets",
            json={"title": "Robot arm drifts", "description": "By 2 mm.", "priority": "P3"},
            headers=result["auth"],
        )
        assert created.status_code == 201, created.text
        number = created.json()["number"]

        async def next_notification() -> dict:
            async for line in lines:
                if line.startswith("data: ") and number in line:
                    return json.loads(line[len("data: ") :])
            raise AssertionError("the stream ended")

        live = await asyncio.wait_for(next_notification(), timeout=20)
        assert live["kind"] == "ticket_created" and live["ticket_number"] == number

    async def mailed() -> list:
        return [m for m in smtp_sink.mails() if number in m["Subject"]]

    try:
        [mail] = await poll(mailed, timeout=30)
    except TimeoutError:
        print(processes.log("notify-worker"))
        raise
    assert mail["To"] == "desk@example.com"
    assert mail["Subject"] == f"[{number}] New ticket: Robot arm drifts"


async def _rules_and_panels_find_their_metrics(client: httpx.AsyncClient, ports: list[int]) -> None:
    """Scraped from the running system (every server and worker): each metric an alert
    rule or a dashboard panel uses is exposed by some process."""
    exposed: set[str] = set()
    for port in ports:
        for attempt in range(50):  # a worker serves its metrics once it has started
            try:
                text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
                break
            except httpx.TransportError:
                if attempt == 49:
                    raise
                await asyncio.sleep(0.2)
        for family in text_string_to_metric_families(text):
            exposed |= series_names(family.name, family.type)
    missing = {
        f"{name} ({where})"
        for name, where in used_metrics().items()
        if name not in exposed | SYNTHETIC
    }
    assert not missing, f"no process of the running system exports: {sorted(missing)}"
