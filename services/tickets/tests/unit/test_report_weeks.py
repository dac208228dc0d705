"""The weeks a report counts in (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from portal_tickets.reports.service import week_starts


def test_weeks_start_on_mondays_at_midnight_utc() -> None:
    starts = week_starts(datetime(2026, 11, 25, 15, 30, tzinfo=UTC), 3)
    assert starts == [
        datetime(2026, 11, 9, tzinfo=UTC),
        datetime(2026, 11, 16, tzinfo=UTC),
        datetime(2026, 11, 23, tzinfo=UTC),
    ]
