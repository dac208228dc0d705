"""The scheduled SLA check reports each breach once, as an event and a metric."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from portal_harness import Portal
from prometheus_client import REGISTRY
from sqlalchemy import update

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
