"""A ticket's reaction-time target, due time and state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from portal_tickets.sla.calendar import BusinessCalendar, default_targets

# Running clock: ok, at_risk, breached. Stopped: met/missed (answered in time or late),
# or, for a ticket closed or cancelled unanswered, stopped (before its target) or missed.
SlaState = Literal["ok", "at_risk", "breached", "met", "missed", "stopped"]
RUNNING_STATES = frozenset({"ok", "at_risk", "breached"})
AT_RISK_SHARE = 0.25  # less than a quarter of the target left


@dataclass(frozen=True)
class SlaPolicy:
    calendar: BusinessCalendar
    # contract name -> priority -> hours of business time
    contracts: dict[str, dict[str, float]]

    def target(self, priority: str, contract: str | None) -> timedelta:
        override = self.contracts.get(contract or "", {}).get(priority)
        if override is not None:
            return timedelta(hours=override)
        return default_targets(self.calendar.day_length)[priority]

    def due(self, created_at: datetime, priority: str, contract: str | None) -> datetime:
        return self.calendar.add(created_at, self.target(priority, contract))


def sla_state(
    *,
    created_at: datetime,
    due_at: datetime | None,
    first_response_at: datetime | None,
    now: datetime,
    done: bool = False,
    breached_at: datetime | None = None,
) -> SlaState | None:
    """`done`: the ticket is resolved, closed or cancelled, which stops the clock;
    `breached_at`: when the scan reported it past its target (while it was open)."""
    if due_at is None:
        return None
    if first_response_at is not None:
        return "met" if first_response_at <= due_at else "missed"
    if done:
        return "missed" if breached_at is not None else "stopped"
    if now > due_at:
        return "breached"
    total = (due_at - created_at).total_seconds()
    left = (due_at - now).total_seconds()
    return "at_risk" if total > 0 and left / total < AT_RISK_SHARE else "ok"
