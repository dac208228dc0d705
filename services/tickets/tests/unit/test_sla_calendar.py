"""Business-hours arithmetic and the SLA state (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.policy import SlaPolicy, sla_state

BERLIN = ZoneInfo("Europe/Berlin")
CAL = BusinessCalendar()


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("start", "hours", "due"),
    [
        (berlin(2026, 11, 23, 9, 0), 4, berlin(2026, 11, 23, 13, 0)),  # Monday morning
        (berlin(2026, 11, 23, 15, 0), 4, berlin(2026, 11, 24, 10, 0)),  # over the night
        (berlin(2026, 11, 27, 16, 0), 4, berlin(2026, 11, 30, 11, 0)),  # Friday -> Monday
        (berlin(2026, 11, 28, 12, 0), 4, berlin(2026, 11, 30, 12, 0)),  # opened on Saturday
        (berlin(2026, 11, 23, 6, 0), 9, berlin(2026, 11, 23, 17, 0)),  # before opening
        (berlin(2026, 11, 23, 18, 0), 1, berlin(2026, 11, 24, 9, 0)),  # after closing
    ],
)
def test_business_time_skips_nights_and_weekends(start, hours, due) -> None:
    assert CAL.add(start, timedelta(hours=hours)) == due


def test_holidays_are_skipped() -> None:
    cal = BusinessCalendar(holidays=frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
    due = cal.add(berlin(2026, 12, 23, 16, 0), timedelta(hours=2))
    assert due == berlin(2026, 12, 28, 9, 0)


def test_result_keeps_the_callers_time_zone() -> None:
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert CAL.add(start, timedelta(hours=1)) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_default_targets_and_contract_overrides() -> None:
    policy = SlaPolicy(calendar=CAL, contracts={"Premium": {"P1": 2}})
    monday = berlin(2026, 11, 23, 9, 0)
    assert policy.due(monday, "P1", None) == berlin(2026, 11, 23, 13, 0)
    assert policy.due(monday, "P1", "Premium") == berlin(2026, 11, 23, 11, 0)
    assert policy.due(monday, "P2", "Premium") == berlin(2026, 11, 24, 9, 0)
    assert policy.due(monday, "P4", None) == berlin(2026, 11, 30, 9, 0)


def test_sla_states() -> None:
    created = datetime(2026, 11, 23, 8, tzinfo=UTC)
    due = created + timedelta(hours=4)
    state = lambda now, answered=None: sla_state(  # noqa: E731
        created_at=created, due_at=due, first_response_at=answered, now=now
    )
    assert state(created + timedelta(hours=1)) == "ok"
    assert state(created + timedelta(hours=3, minutes=30)) == "at_risk"
    assert state(created + timedelta(hours=5)) == "breached"
    assert state(created + timedelta(hours=5), created + timedelta(hours=1)) == "met"
    assert state(created + timedelta(hours=6), created + timedelta(hours=5)) == "missed"
