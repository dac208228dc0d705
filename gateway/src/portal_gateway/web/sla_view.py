"""A ticket's SLA clock as the pages show it: the customer's ticket page and the desk's
queue and work page read the same two timers (first reaction, resolution), the pause
while the desk waits for the customer, and the terms the ticket was opened under.

The words stay in the areas' texts; this only puts the service's answer into the shape
the templates need, and fills in what an older answer (the reaction alone) leaves out."""

from __future__ import annotations

from dataclasses import dataclass

from portal_gateway.web.account.contract import business_hours
from portal_gateway.web.clients.tickets import Sla, SlaTimer

TIMERS = ("reaction", "resolution")


@dataclass(frozen=True)
class TimerView:
    """One target: `state` is the service's word, "none" where the ticket has none."""

    kind: str  # "reaction" or "resolution"
    state: str
    target: str  # the target in business hours, in words; "" when not known
    due_at: str | None
    done_at: str | None
    running: bool

    @property
    def known(self) -> bool:
        return self.state != "none"


@dataclass(frozen=True)
class ContractView:
    name: str
    standard: bool  # no contract: the standard terms


@dataclass(frozen=True)
class SlaView:
    reaction: TimerView
    resolution: TimerView
    paused: bool
    paused_since: str | None
    paused_for: str  # the business hours paused so far, in words
    contract: ContractView | None
    time_zone: str | None

    @property
    def timers(self) -> tuple[TimerView, TimerView]:
        return self.reaction, self.resolution

    @property
    def known(self) -> bool:
        return self.reaction.known or self.resolution.known


def _timer(kind: str, timer: SlaTimer | None, lang: str) -> TimerView:
    if timer is None or timer.state is None:
        return TimerView(kind, "none", "", None, None, False)
    target = "" if timer.target_hours is None else business_hours(timer.target_hours, lang)
    return TimerView(kind, timer.state, target, timer.due_at, timer.done_at, timer.running)


def _reaction(sla: Sla) -> SlaTimer | None:
    """The reaction timer; an older answer has only the top-level fields for it."""
    if sla.reaction is not None or sla.state is None:
        return sla.reaction
    return SlaTimer(
        state=sla.state, due_at=sla.due_at, running=sla.running, done_at=sla.first_response_at
    )


def _paused_for(hours: float, lang: str) -> str:
    """Tenths of an hour are enough to tell; less than that is not worth a line."""
    shown = round(hours, 1)
    return business_hours(shown, lang) if shown > 0 else ""


def sla_view(sla: Sla | None, lang: str) -> SlaView:
    sla = sla or Sla()
    contract = None
    if sla.contract is not None:
        contract = ContractView(sla.contract.name, standard=sla.contract.id is None)
    return SlaView(
        reaction=_timer("reaction", _reaction(sla), lang),
        resolution=_timer("resolution", sla.resolution, lang),
        paused=sla.paused,
        paused_since=sla.paused_since,
        paused_for=_paused_for(sla.paused_hours, lang),
        contract=contract,
        time_zone=sla.time_zone,
    )
