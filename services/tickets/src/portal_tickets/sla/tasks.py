"""The scheduled SLA check: report tickets whose reaction target passed unanswered."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from prometheus_client import Counter

from portal_chassis.runtime import Runtime
from portal_chassis.tasks import task
from portal_tickets.uow import TicketsUoW

SLA_BREACHES = Counter(
    "portal_sla_breaches_total", "Tickets that passed their reaction target.", ["priority"]
)
BATCH = 500


@task("scan_sla", every=60)
async def scan_sla(runtime: Runtime) -> int:
    found = 0
    while True:
        uow = cast(TicketsUoW, runtime.uow())
        now = datetime.now(UTC)
        async with uow:
            tickets = await uow.tickets.breaching(now, limit=BATCH)
            for ticket in tickets:
                ticket.breach_sla(at=now)
            await uow.commit()
        for ticket in tickets:
            SLA_BREACHES.labels(ticket.priority.value).inc()
        found += len(tickets)
        if len(tickets) < BATCH:
            return found
