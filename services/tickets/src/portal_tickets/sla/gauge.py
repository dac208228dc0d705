"""Open tickets past their reaction target right now, counted from the database by the
server (the scan's counter only says when a breach was first seen, and runs in a worker)."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Gauge

from portal_chassis.runtime import Runtime
from portal_tickets.ticket.models import Priority
from portal_tickets.ticket.repository import TicketRepository

SLA_BREACHED_TICKETS = Gauge(
    "portal_sla_breached_tickets",
    "Open tickets past their reaction target without an answer, by priority.",
    ["priority"],
)


async def refresh_breached_gauge(runtime: Runtime) -> None:
    async with runtime.session_factory() as session:
        counts = await TicketRepository(session).count_breached(datetime.now(UTC))
    # Every priority, zeros included: an alert on a series ends when it drops to 0.
    for priority in Priority:
        SLA_BREACHED_TICKETS.labels(priority.value).set(counts.get(priority.value, 0))
