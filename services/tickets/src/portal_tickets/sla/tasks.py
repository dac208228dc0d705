"""The scheduled SLA check: report tickets whose reaction or resolution target passed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from prometheus_client import Counter

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_tickets.sla.clock import SlaTarget
from portal_tickets.uow import TicketsUoW

SLA_BREACHES = Counter(
    "portal_sla_breaches_total", "Tickets that passed their reaction target.", ["priority"]
)
RESOLUTION_BREACHES = Counter(
    "portal_sla_resolution_breaches_total",
    "Tickets that passed their resolution target.",
    ["priority"],
)
COUNTERS: dict[SlaTarget, Counter] = {
    "reaction": SLA_BREACHES,
    "resolution": RESOLUTION_BREACHES,
}
BATCH = 500


@task("scan_sla", every=60)
async def scan_sla(runtime: Runtime) -> int:
    found = 0
    for target in COUNTERS:
        found += await _scan(runtime, target)
    return found


async def _scan(runtime: Runtime, target: SlaTarget) -> int:
    found = 0
    while True:
        uow = cast(TicketsUoW, runtime.uow())
        now = datetime.now(UTC)
        async with uow:
            tickets = await uow.tickets.breaching(now, target, limit=BATCH)
            for ticket in tickets:
                ticket.breach_sla(target, at=now)
            await uow.commit()
        for ticket in tickets:
            COUNTERS[target].labels(ticket.priority.value).inc()
        found += len(tickets)
        if len(tickets) < BATCH:
            return found
