"""Open tickets past their targets right now, counted from the database by the server
(the scan's counters only say when a breach was first seen, and run in a worker)."""

from __future__ import annotations

from datetime import UTC, datetime

from prometheus_client import Gauge

from portal_chassis.runtime import Runtime
from portal_tickets.sla.clock import SlaTarget
from portal_tickets.ticket.models import Priority
from portal_tickets.ticket.repository import TicketRepository

SLA_BREACHED_TICKETS = Gauge(
    "portal_sla_breached_tickets",
    "Open tickets past their reaction target without an answer, by priority.",
    ["priority"],
)
RESOLUTION_BREACHED_TICKETS = Gauge(
    "portal_sla_resolution_breached_tickets",
    "Open tickets past their resolution target, by priority.",
    ["priority"],
)
GAUGES: dict[SlaTarget, Gauge] = {
    "reaction": SLA_BREACHED_TICKETS,
    "resolution": RESOLUTION_BREACHED_TICKETS,
}


async def refresh_breached_gauge(runtime: Runtime) -> None:
    now = datetime.now(UTC)
    async with runtime.session_factory() as session:
        repository = TicketRepository(session)
        counts = {target: await repository.count_breached(now, target) for target in GAUGES}
    # Every priority, zeros included: an alert on a series ends when it drops to 0.
    for target, gauge in GAUGES.items():
        for priority in Priority:
            gauge.labels(priority.value).set(counts[target].get(priority.value, 0))
