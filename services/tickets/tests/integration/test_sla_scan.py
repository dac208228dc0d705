"""The scheduled SLA check reports each breach once, as an event and a metric; the
server counts the open tickets past their target."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from portal_harness import Portal
from prometheus_client import REGISTRY
from sqlalchemy import update

from portal_tickets.module import module
from portal_tickets.sla.gauge import refresh_breached_gauge
from portal_tickets.ticket.models import Ticket

pytestmark = pytest.mark.integration


def _breaches(priority: str) -> float:
    return REGISTRY.get_sample_value("portal_sla_breaches_total", {"priority": priority}) or 0.0


async def test_overdue_unanswered_ticket_is_reported_once(world: Portal) -> None:
    late = await world.ticket("ben", priority="P1")
    answered = await world.ticket("ben", priority="P1")
    await world.client.post(
        f"/api/v1/tickets/{answered['number']}/articles",
        json={"body": "On it"},
        headers=await world.as_("erik"),
    )
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).values(sla_due_at=datetime.now(UTC) - timedelta(minutes=1)))
        await s.commit()
    before = _breaches("P1")
    for _ in range(2):  # a second scan finds nothing new
        await world.tickets.tasks.enqueue("scan_sla")
        await world.tickets.tasks.drain()
    events = await world.events("tickets.sla.breached")
    assert [e["data"]["number"] for e in events] == [late["number"]]
    assert _breaches("P1") == before + 1
    view = await world.client.get(
        f"/api/v1/tickets/{late['number']}", headers=await world.as_("ben")
    )
    assert view.json()["sla"]["state"] == "breached"


def _breached_now(priority: str) -> float | None:
    return REGISTRY.get_sample_value("portal_sla_breached_tickets", {"priority": priority})


async def test_breached_gauge_counts_open_unanswered_tickets_past_their_target(
    world: Portal,
) -> None:
    # The server counted at start: every priority is there, at zero.
    assert [_breached_now(p) for p in ("P1", "P2", "P3", "P4")] == [0.0] * 4
    reported = await world.ticket("ben", priority="P1")
    unreported = await world.ticket("ben", priority="P1")
    answered = await world.ticket("ben", priority="P1")
    closed = await world.ticket("ben", priority="P2")
    in_time = await world.ticket("ben", priority="P3")
    ben, erik = await world.as_("ben"), await world.as_("erik")
    await world.client.post(
        f"/api/v1/tickets/{answered['number']}/articles", json={"body": "On it"}, headers=erik
    )
    await world.client.post(f"/api/v1/tickets/{closed['number']}/cancel", headers=ben)
    past = datetime.now(UTC) - timedelta(minutes=1)
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket).where(Ticket.number != in_time["number"]).values(sla_due_at=past)
        )
        await s.commit()
    # Whether the scan has reported a breach yet or not, it is one.
    await world.tickets.tasks.enqueue("scan_sla")
    await world.tickets.tasks.drain()
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Ticket).where(Ticket.number == unreported["number"]).values(sla_breached_at=None)
        )
        await s.commit()

    await refresh_breached_gauge(world.tickets)

    assert [_breached_now(p) for p in ("P1", "P2", "P3", "P4")] == [2.0, 0.0, 0.0, 0.0]
    listed = await world.client.get("/api/v1/tickets?sla=breached&state=open", headers=erik)
    assert {t["number"] for t in listed.json()["items"]} == {
        reported["number"],
        unreported["number"],
    }
    metrics = (await world.client.get("/metrics")).text
    assert 'portal_sla_breached_tickets{priority="P1"} 2.0' in metrics
    assert refresh_breached_gauge in module.gauges  # what the server runs every 15 s
