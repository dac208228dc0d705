"""The SLA clock: due times, pauses, new targets and the state of each target (pure)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.clock import (
    ClockState,
    Due,
    SlaClock,
    Targets,
    effective_due,
    reaction_state,
    resolution_state,
    start_clock,
)

BERLIN = ZoneInfo("Europe/Berlin")
CAL = BusinessCalendar()  # Monday to Friday, 08:00 to 17:00, Europe/Berlin
TARGETS = Targets(reaction=timedelta(hours=4), resolution=timedelta(hours=18))
HOUR = timedelta(hours=1)
SECOND = timedelta(seconds=1)


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


# Monday 23 November 2026 .. Friday 27, weekend, Monday 30.
MON_9 = berlin(2026, 11, 23, 9, 0)
FRI_9 = berlin(2026, 11, 27, 9, 0)


def reaction(
    clock: SlaClock,
    now: datetime,
    *,
    answered: datetime | None = None,
    done: bool = False,
    done_at: datetime | None = None,
) -> ClockState:
    return reaction_state(
        clock, first_response_at=answered, now=now, done=done, calendar=CAL, done_at=done_at
    )


def resolution(
    clock: SlaClock,
    now: datetime,
    *,
    resolved: datetime | None = None,
    done: bool = False,
    done_at: datetime | None = None,
) -> ClockState:
    return resolution_state(
        clock, resolved_at=resolved, now=now, done=done, calendar=CAL, done_at=done_at
    )


def test_clock_starts_with_both_due_times() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    assert clock.opened_at == MON_9
    assert clock.reaction_due == berlin(2026, 11, 23, 13, 0)
    assert clock.resolution_due == berlin(2026, 11, 25, 9, 0)  # 8 h + 9 h + 1 h
    assert clock.paused_since is None and clock.paused == timedelta(0)


def test_ticket_opened_outside_hours_counts_from_the_next_opening() -> None:
    saturday = start_clock(CAL, berlin(2026, 11, 28, 12, 0), TARGETS)
    assert saturday.reaction_due == berlin(2026, 11, 30, 12, 0)
    evening = start_clock(CAL, berlin(2026, 11, 23, 19, 30), TARGETS)
    assert evening.reaction_due == berlin(2026, 11, 24, 12, 0)
    early = start_clock(CAL, berlin(2026, 11, 23, 6, 0), TARGETS)
    assert early.reaction_due == berlin(2026, 11, 23, 12, 0)


def test_weekends_and_holidays_do_not_count() -> None:
    holiday_monday = BusinessCalendar(holidays=frozenset({date(2026, 11, 30)}))
    clock = start_clock(holiday_monday, berlin(2026, 11, 27, 15, 0), TARGETS)
    assert clock.reaction_due == berlin(2026, 12, 1, 10, 0)  # Friday 2 h, Tuesday 2 h
    assert clock.resolution_due == berlin(2026, 12, 2, 15, 0)  # 2 + 9 + 7 h


def test_per_weekday_hours_a_short_friday() -> None:
    short_friday = BusinessCalendar(
        weekly={d: (time(8, 0), time(17, 0)) for d in range(4)} | {4: (time(8, 0), time(13, 0))}
    )
    clock = start_clock(short_friday, berlin(2026, 11, 27, 11, 0), TARGETS)
    assert clock.reaction_due == berlin(2026, 11, 30, 10, 0)  # Friday 2 h, Monday 2 h
    assert clock.resolution_due == berlin(2026, 12, 1, 15, 0)  # 2 + 9 + 7 h


def test_clock_across_the_change_of_the_clocks() -> None:
    # A desk open on Sundays 00:00-06:00: on 29 March 2026 that is five real hours.
    sundays = BusinessCalendar(weekly={6: (time(0, 0), time(6, 0))})
    clock = start_clock(sundays, berlin(2026, 3, 29, 0, 0), Targets(5 * HOUR, 6 * HOUR))
    assert clock.reaction_due == berlin(2026, 3, 29, 6, 0)
    assert clock.resolution_due == berlin(2026, 4, 5, 1, 0)
    autumn = start_clock(sundays, berlin(2026, 10, 25, 0, 0), Targets(7 * HOUR, 8 * HOUR))
    assert autumn.reaction_due == berlin(2026, 10, 25, 6, 0)
    assert autumn.resolution_due == berlin(2026, 11, 1, 1, 0)


def test_pause_over_a_weekend_costs_only_business_time() -> None:
    clock = start_clock(CAL, FRI_9, TARGETS)
    assert clock.reaction_due == berlin(2026, 11, 27, 13, 0)
    assert clock.resolution_due == berlin(2026, 12, 1, 9, 0)
    paused = clock.pause(berlin(2026, 11, 27, 12, 0))
    resumed = paused.resume(berlin(2026, 11, 30, 10, 0), CAL)
    assert resumed.paused == 7 * HOUR  # Friday 12-17, Monday 8-10
    assert resumed.paused_since is None
    assert resumed.reaction_due == berlin(2026, 11, 30, 11, 0)  # the hour left, on Monday
    assert resumed.resolution_due == berlin(2026, 12, 1, 16, 0)


def test_pause_outside_hours_moves_nothing() -> None:
    clock = start_clock(CAL, FRI_9, TARGETS)
    resumed = clock.pause(berlin(2026, 11, 27, 18, 0)).resume(berlin(2026, 11, 30, 7, 0), CAL)
    assert resumed.paused == timedelta(0)
    assert (resumed.reaction_due, resumed.resolution_due) == (
        clock.reaction_due,
        clock.resolution_due,
    )


def test_two_pauses_add_up() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    clock = clock.pause(berlin(2026, 11, 23, 10, 0)).resume(berlin(2026, 11, 23, 11, 0), CAL)
    clock = clock.pause(berlin(2026, 11, 23, 16, 0)).resume(berlin(2026, 11, 24, 9, 30), CAL)
    assert clock.paused == timedelta(hours=3, minutes=30)  # 1 h + 1 h + 1.5 h
    assert clock.reaction_due == berlin(2026, 11, 23, 16, 30)  # 13:00 + 3.5 h
    assert clock.resolution_due == berlin(2026, 11, 25, 12, 30)


def test_pause_and_resume_are_idempotent() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    assert clock.resume(berlin(2026, 11, 23, 10, 0), CAL) is clock
    paused = clock.pause(berlin(2026, 11, 23, 10, 0))
    assert paused.pause(berlin(2026, 11, 23, 11, 0)) is paused
    assert paused.paused_since == berlin(2026, 11, 23, 10, 0)
    assert paused.is_paused and not clock.is_paused


def test_retarget_after_a_pause_keeps_the_pause() -> None:
    clock = start_clock(CAL, FRI_9, TARGETS)
    clock = clock.pause(berlin(2026, 11, 27, 12, 0)).resume(berlin(2026, 11, 30, 10, 0), CAL)
    urgent = clock.retarget(Targets(2 * HOUR, 9 * HOUR), CAL, berlin(2026, 11, 30, 10, 30))
    assert urgent.paused == 7 * HOUR
    assert urgent.reaction_due == berlin(2026, 11, 30, 9, 0)  # Friday 9-12 + 2 h, shifted 7 h
    assert urgent.resolution_due == berlin(2026, 11, 30, 16, 0)
    assert reaction(urgent, berlin(2026, 11, 30, 10, 30)) == "breached"
    assert resolution(urgent, berlin(2026, 11, 30, 10, 30)) == "ok"


def test_retarget_while_paused_counts_the_pause_once() -> None:
    opened = start_clock(CAL, FRI_9, TARGETS).pause(berlin(2026, 11, 27, 12, 0))
    bigger = Targets(8 * HOUR, 18 * HOUR)
    during = opened.retarget(bigger, CAL, berlin(2026, 11, 30, 9, 0))
    assert during.paused == 6 * HOUR and during.is_paused
    assert during.reaction_due == berlin(2026, 11, 30, 14, 0)
    assert effective_due(during, berlin(2026, 11, 30, 10, 0), CAL).reaction == berlin(
        2026, 11, 30, 15, 0
    )
    later = during.resume(berlin(2026, 11, 30, 10, 0), CAL)
    after = opened.resume(berlin(2026, 11, 30, 10, 0), CAL).retarget(
        bigger, CAL, berlin(2026, 11, 30, 10, 0)
    )
    assert later == after
    assert later.reaction_due == berlin(2026, 11, 30, 15, 0) and later.paused == 7 * HOUR


def test_effective_due_while_paused_is_as_if_the_pause_ended_now() -> None:
    clock = start_clock(CAL, FRI_9, TARGETS)
    assert effective_due(clock, berlin(2026, 11, 30, 10, 0), CAL) == Due(
        clock.reaction_due, clock.resolution_due
    )
    paused = clock.pause(berlin(2026, 11, 27, 12, 0))
    now = berlin(2026, 11, 30, 10, 0)
    assert effective_due(paused, now, CAL) == Due(
        berlin(2026, 11, 30, 11, 0), berlin(2026, 12, 1, 16, 0)
    )
    assert effective_due(paused, now, CAL) == Due(
        paused.resume(now, CAL).reaction_due, paused.resume(now, CAL).resolution_due
    )


def test_running_states_and_the_at_risk_boundary() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)  # reaction due 13:00, a quarter is 1 h
    assert reaction(clock, berlin(2026, 11, 23, 10, 0)) == "ok"
    assert reaction(clock, berlin(2026, 11, 23, 12, 0)) == "ok"  # exactly a quarter left
    assert reaction(clock, berlin(2026, 11, 23, 12, 0) + SECOND) == "at_risk"
    assert reaction(clock, berlin(2026, 11, 23, 13, 0)) == "at_risk"  # due, not past it
    assert reaction(clock, berlin(2026, 11, 23, 13, 0) + SECOND) == "breached"


def test_at_risk_counts_business_time_not_the_night() -> None:
    clock = start_clock(CAL, berlin(2026, 11, 23, 16, 30), TARGETS)
    assert clock.reaction_due == berlin(2026, 11, 24, 11, 30)
    # 3.5 h of 4 h left, though most of the wall-clock time has passed.
    assert reaction(clock, berlin(2026, 11, 24, 7, 59)) == "ok"
    assert reaction(clock, berlin(2026, 11, 24, 10, 30)) == "ok"
    assert reaction(clock, berlin(2026, 11, 24, 10, 31)) == "at_risk"


def test_at_risk_after_a_pause_uses_the_target_not_the_moved_span() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    clock = clock.pause(berlin(2026, 11, 23, 10, 0)).resume(berlin(2026, 11, 23, 14, 0), CAL)
    assert clock.reaction_due == berlin(2026, 11, 23, 17, 0)
    assert reaction(clock, berlin(2026, 11, 23, 16, 0)) == "ok"  # 1 h of 4 h left
    assert reaction(clock, berlin(2026, 11, 23, 16, 1)) == "at_risk"


def test_paused_states() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    waiting = clock.pause(berlin(2026, 11, 23, 12, 30))
    assert reaction(waiting, berlin(2026, 11, 25, 9, 0)) == "paused"
    assert resolution(waiting, berlin(2026, 11, 26, 9, 0)) == "paused"
    late = clock.pause(berlin(2026, 11, 23, 14, 0))  # reaction already past due
    assert reaction(late, berlin(2026, 11, 24, 9, 0)) == "breached"
    assert resolution(late, berlin(2026, 11, 24, 9, 0)) == "paused"


def test_stopped_states_of_the_reaction() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    due = clock.reaction_due
    later = berlin(2026, 11, 30, 9, 0)
    assert reaction(clock, later, answered=due) == "met"
    assert reaction(clock, later, answered=due + SECOND) == "missed"
    assert reaction(clock, berlin(2026, 11, 23, 12, 0), done=True) == "stopped"
    assert reaction(clock, later, done=True) == "missed"
    assert reaction(clock, later, done=True, done_at=berlin(2026, 11, 23, 12, 0)) == "stopped"
    # Answered after closing: the answer counts.
    assert reaction(clock, later, answered=berlin(2026, 11, 23, 11, 0), done=True) == "met"


def test_answer_during_a_pause_counts_against_the_moved_due_time() -> None:
    clock = start_clock(CAL, FRI_9, TARGETS)  # reaction due Friday 13:00
    waiting = clock.pause(berlin(2026, 11, 27, 12, 0))
    now = berlin(2026, 11, 30, 16, 0)
    # The stored due time has passed, but the pause holds the clock.
    assert reaction(waiting, now, answered=berlin(2026, 11, 30, 15, 0)) == "met"
    assert reaction(waiting, now, done=True, done_at=berlin(2026, 11, 30, 15, 0)) == "stopped"
    # Past due before the pause began: answering during it is still late.
    late = clock.pause(berlin(2026, 11, 27, 14, 0))
    assert reaction(late, now, answered=berlin(2026, 11, 30, 15, 0)) == "missed"
    assert reaction(late, now, done=True, done_at=berlin(2026, 11, 30, 15, 0)) == "missed"


def test_stopped_states_of_the_resolution() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    due = clock.resolution_due
    later = berlin(2026, 12, 7, 9, 0)
    assert resolution(clock, berlin(2026, 11, 24, 9, 0)) == "ok"
    assert resolution(clock, due - HOUR) == "at_risk"
    assert resolution(clock, due + SECOND) == "breached"
    assert resolution(clock, later, resolved=due) == "met"
    assert resolution(clock, later, resolved=due + SECOND) == "missed"
    assert resolution(clock, berlin(2026, 11, 24, 9, 0), done=True) == "stopped"
    assert resolution(clock, later, done=True) == "missed"
    # The reaction may be missed while the resolution is still met.
    assert reaction(clock, later, answered=berlin(2026, 11, 24, 9, 0)) == "missed"


def test_a_ticket_through_every_state() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)  # reaction due Monday 13:00
    seen = [reaction(clock, berlin(2026, 11, 23, 10, 0))]
    seen.append(reaction(clock, berlin(2026, 11, 23, 12, 30)))
    clock = clock.pause(berlin(2026, 11, 23, 12, 30))
    seen.append(reaction(clock, berlin(2026, 11, 24, 12, 0)))
    clock = clock.resume(berlin(2026, 11, 24, 12, 0), CAL)  # 30 min left, due 12:30
    assert clock.reaction_due == berlin(2026, 11, 24, 12, 30)
    seen.append(reaction(clock, berlin(2026, 11, 24, 12, 0)))
    seen.append(reaction(clock, berlin(2026, 11, 24, 12, 31)))
    seen.append(reaction(clock, berlin(2026, 11, 24, 13, 0), answered=berlin(2026, 11, 24, 13)))
    assert seen == ["ok", "at_risk", "paused", "at_risk", "breached", "missed"]
    # The resolution clock, paused just as long, is still running fine.
    assert resolution(clock, berlin(2026, 11, 24, 13, 0)) == "ok"


@pytest.mark.parametrize("target", [timedelta(0), HOUR])
def test_zero_or_tiny_targets_do_not_divide_by_zero(target: timedelta) -> None:
    clock = start_clock(CAL, MON_9, Targets(target, target))
    assert reaction(clock, MON_9) in {"ok", "at_risk"}
    assert reaction(clock, MON_9 + target + SECOND) == "breached"


def test_time_spent_resolved_does_not_count_towards_the_resolution() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)  # reaction due Mon 13:00, resolution Wed 9:00
    answered, resolved = berlin(2026, 11, 23, 10, 0), berlin(2026, 11, 24, 9, 0)
    # Resolved Tuesday 9:00 with 9 business hours left; reopened a week later.
    reopened_at = berlin(2026, 12, 1, 14, 0)
    reopened = clock.reopen(resolved, reopened_at, CAL)
    assert reopened.resolution_due == CAL.add(reopened_at, 9 * HOUR)  # Wed 2 Dec 14:00
    assert reopened.resolution_due == berlin(2026, 12, 2, 14, 0)
    assert reopened.resolved == CAL.between(resolved, reopened_at)
    assert reopened.reaction_due == clock.reaction_due  # the reaction stays as it was
    assert resolution(reopened, reopened_at) == "ok"
    assert resolution(clock, reopened_at) == "breached"  # without the rule: breached at once
    assert reaction(reopened, reopened_at, answered=answered) == "met"
    # The at-risk share counts the target, not the span stretched by the time resolved.
    assert resolution(reopened, berlin(2026, 12, 2, 9, 30)) == "ok"  # 4.5 h of 18 h left
    assert resolution(reopened, berlin(2026, 12, 2, 9, 31)) == "at_risk"


def test_reopening_a_ticket_resolved_late_leaves_it_late() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    resolved = clock.resolution_due + HOUR
    reopened = clock.reopen(resolved, berlin(2026, 12, 1, 9, 0), CAL)
    assert resolution(reopened, berlin(2026, 12, 1, 9, 0)) == "breached"


def test_a_new_priority_after_reopening_keeps_the_time_resolved_out() -> None:
    clock = start_clock(CAL, MON_9, TARGETS)
    reopened = clock.reopen(berlin(2026, 11, 24, 9, 0), berlin(2026, 11, 25, 9, 0), CAL)
    assert reopened.resolved == 9 * HOUR
    urgent = reopened.retarget(Targets(2 * HOUR, 9 * HOUR), CAL, berlin(2026, 11, 25, 9, 0))
    # 9 h from Monday 9:00 and the 9 h it spent resolved on Tuesday: Wednesday 9:00.
    assert urgent.resolution_due == berlin(2026, 11, 25, 9, 0)
    assert urgent.reaction_due == berlin(2026, 11, 23, 11, 0)  # the reaction: no such shift
