"""The SLA clock of a ticket: the one rule, in plain words.

Every ticket has two targets, both in business time (the opening hours of the business
calendar; nights, closed weekdays and holidays do not count):

- reaction: until the service desk's first public answer;
- resolution: until the ticket is resolved.

The clock starts when the ticket is opened; a ticket opened outside the opening hours
starts counting when the desk next opens. The due times are the moments the targets run
out.

While the desk waits for the customer, the clock is paused. When it runs again, both due
times move later by the business time of the pause (a pause from Friday afternoon to
Monday morning costs only Friday afternoon and Monday morning, not the weekend). Pauses add
up. While a ticket is paused, pages show the due times as if the pause ended now.

A new priority brings new targets: they count from the opening again, moved by every pause
so far, the current one included.

The time a ticket spends resolved does not count either: reopened (a customer's reply, or
the desk), its resolution clock runs on with the business time it had left when it was
resolved (a ticket resolved late stays late). The reaction stays as it was, met or not.

The state of each target:

- met / missed: the answer came (or the ticket was resolved) by the due time / later;
- ok: running, at least a quarter of the target's business time left;
- at_risk: running, less than a quarter left;
- breached: running (or paused after it ran out) and past the due time;
- paused: waiting for the customer;
- stopped: the ticket was closed or cancelled before the due time without the answer (or
  resolution); closed or cancelled after the due time, it is missed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, NamedTuple

from portal_tickets.sla.calendar import BusinessCalendar

ClockState = Literal["ok", "at_risk", "breached", "paused", "met", "missed", "stopped"]
SlaTarget = Literal["reaction", "resolution"]
RUNNING = frozenset({"ok", "at_risk", "breached"})
AT_RISK_SHARE = 0.25  # less than a quarter of the target left


@dataclass(frozen=True)
class Targets:
    reaction: timedelta  # business time until the first public answer of the desk
    resolution: timedelta  # business time until resolved


class Due(NamedTuple):
    reaction: datetime
    resolution: datetime


@dataclass(frozen=True)
class SlaClock:
    opened_at: datetime
    reaction_due: datetime
    resolution_due: datetime
    paused_since: datetime | None = None
    paused: timedelta = timedelta(0)  # business time spent waiting for the customer so far
    # Business time spent resolved before being reopened: the resolution's only.
    resolved: timedelta = timedelta(0)

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    def pause(self, at: datetime) -> SlaClock:
        """Waiting for the customer from `at` on (nothing changes when already paused)."""
        if self.paused_since is not None:
            return self
        return replace(self, paused_since=at)

    def resume(self, at: datetime, calendar: BusinessCalendar) -> SlaClock:
        """Running again at `at`: the due times move later by the pause's business time."""
        if self.paused_since is None:
            return self
        held = calendar.between(self.paused_since, at)
        return replace(
            self,
            reaction_due=calendar.add(self.reaction_due, held),
            resolution_due=calendar.add(self.resolution_due, held),
            paused_since=None,
            paused=self.paused + held,
        )

    def reopen(self, resolved_at: datetime, at: datetime, calendar: BusinessCalendar) -> SlaClock:
        """Reopened at `at` after being resolved at `resolved_at`: the resolution's due
        time moves later by the business time in between, so it has the time left it had
        when resolved (none, if resolved late). The reaction's due time stays."""
        held = calendar.between(resolved_at, at)
        return replace(
            self,
            resolution_due=calendar.add(self.resolution_due, held),
            resolved=self.resolved + held,
        )

    def retarget(self, targets: Targets, calendar: BusinessCalendar, at: datetime) -> SlaClock:
        """New targets at `at` (a new priority), counted from the opening and moved by all
        pauses so far (the resolution also by the time spent resolved before a reopening).
        A pause still running counts up to `at` and goes on from there."""
        if self.paused_since is None:
            held, since = self.paused, None
        else:
            held = self.paused + calendar.between(self.paused_since, at)
            since = max(at, self.paused_since)
        return replace(
            self,
            reaction_due=calendar.add(self.opened_at, targets.reaction + held),
            resolution_due=calendar.add(self.opened_at, targets.resolution + held + self.resolved),
            paused_since=since,
            paused=held,
        )


@dataclass(frozen=True)
class SlaStart:
    """What a new ticket's clock starts from: the contract in force (None: the default
    terms), the business calendar it counts in, and the clock itself."""

    contract_id: uuid.UUID | None
    calendar_id: uuid.UUID
    clock: SlaClock


def start_clock(calendar: BusinessCalendar, opened_at: datetime, targets: Targets) -> SlaClock:
    return SlaClock(
        opened_at=opened_at,
        reaction_due=calendar.add(opened_at, targets.reaction),
        resolution_due=calendar.add(opened_at, targets.resolution),
    )


def effective_due(clock: SlaClock, now: datetime, calendar: BusinessCalendar) -> Due:
    """The due times as they stand at `now`: while paused, as if the pause ended now."""
    if clock.paused_since is None:
        return Due(clock.reaction_due, clock.resolution_due)
    moved = clock.resume(now, calendar)
    return Due(moved.reaction_due, moved.resolution_due)


def target_span(
    clock: SlaClock, due: datetime, calendar: BusinessCalendar, held: timedelta
) -> timedelta:
    """The business time a target allows: from the opening to its stored due time, less
    the pauses and (`held`, the resolution's) the time spent resolved."""
    return calendar.between(clock.opened_at, due) - clock.paused - held


def _state(
    clock: SlaClock,
    due: datetime,
    *,
    stopped_at: datetime | None,
    now: datetime,
    done: bool,
    done_at: datetime | None,
    calendar: BusinessCalendar,
    held: timedelta = timedelta(0),
) -> ClockState:
    """`due` is the stored due time of one target, `held` the business time it does not
    count besides the pauses; the rule is the same for both."""
    if stopped_at is not None or done:
        end = stopped_at or done_at or now
        late = end > _moved(clock, due, end, calendar)
        if stopped_at is not None:
            return "missed" if late else "met"
        return "missed" if late else "stopped"
    if clock.paused_since is not None:
        return "breached" if due < clock.paused_since else "paused"
    if now > due:
        return "breached"
    target = target_span(clock, due, calendar, held)
    left = calendar.between(now, due)
    return "at_risk" if left < target * AT_RISK_SHARE else "ok"


def _moved(clock: SlaClock, due: datetime, at: datetime, calendar: BusinessCalendar) -> datetime:
    """`due` as it stood at `at`, counting a pause still running then."""
    if clock.paused_since is None or at <= clock.paused_since:
        return due
    return calendar.add(due, calendar.between(clock.paused_since, at))


def reaction_state(
    clock: SlaClock,
    *,
    first_response_at: datetime | None,
    now: datetime,
    done: bool,
    calendar: BusinessCalendar,
    done_at: datetime | None = None,
) -> ClockState:
    """`done`: closed or cancelled (at `done_at`, when known) without an answer."""
    return _state(
        clock,
        clock.reaction_due,
        stopped_at=first_response_at,
        now=now,
        done=done,
        done_at=done_at,
        calendar=calendar,
    )


def resolution_state(
    clock: SlaClock,
    *,
    resolved_at: datetime | None,
    now: datetime,
    done: bool,
    calendar: BusinessCalendar,
    done_at: datetime | None = None,
) -> ClockState:
    """`done`: closed or cancelled (at `done_at`, when known) without being resolved."""
    return _state(
        clock,
        clock.resolution_due,
        stopped_at=resolved_at,
        now=now,
        done=done,
        done_at=done_at,
        calendar=calendar,
        held=clock.resolved,
    )
