"""Business-hours arithmetic (pure); the clock built on it: test_sla_clock.py."""

from __future__ import annotations

import random
import time as time_module
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal_tickets.sla.calendar import BusinessCalendar, default_targets, shared

BERLIN = ZoneInfo("Europe/Berlin")
CAL = BusinessCalendar()


def berlin(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


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
def test_business_time_skips_nights_and_weekends(
    start: datetime, hours: int, due: datetime
) -> None:
    assert CAL.add(start, timedelta(hours=hours)) == due


def test_holidays_are_skipped() -> None:
    cal = BusinessCalendar(holidays=frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
    due = cal.add(berlin(2026, 12, 23, 16, 0), timedelta(hours=2))
    assert due == berlin(2026, 12, 28, 9, 0)


def test_result_keeps_the_callers_time_zone() -> None:
    start = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert CAL.add(start, timedelta(hours=1)) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def test_default_targets_count_in_business_days() -> None:
    targets = default_targets(CAL.day_length)
    monday = berlin(2026, 11, 23, 9, 0)
    assert CAL.add(monday, targets["P1"]) == berlin(2026, 11, 23, 13, 0)
    assert CAL.add(monday, targets["P2"]) == berlin(2026, 11, 24, 9, 0)
    assert CAL.add(monday, targets["P4"]) == berlin(2026, 11, 30, 9, 0)


# --- per-weekday hours, holidays, the change of the clocks, business time between ---

FRIDAY_SHORT = BusinessCalendar(
    timezone="Europe/Berlin",
    weekly={d: (time(8, 0), time(17, 0)) for d in range(4)} | {4: (time(8, 0), time(13, 0))},
)
# Open in the small hours of Sunday only: the clocks change inside the opening hours.
SUNDAY_NIGHTS = BusinessCalendar(timezone="Europe/Berlin", weekly={6: (time(0, 0), time(6, 0))})


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def test_default_calendar_is_monday_to_friday_eight_to_five() -> None:
    assert dict(CAL.weekly) == {d: (time(8, 0), time(17, 0)) for d in range(5)}
    assert CAL.day_length == timedelta(hours=9)
    assert CAL.week_length == timedelta(hours=45)
    assert BusinessCalendar.uniform("Europe/Berlin", time(8, 0), time(17, 0)) == CAL


def test_uniform_takes_workdays_and_holidays() -> None:
    cal = BusinessCalendar.uniform(
        "Europe/Vienna", time(9, 0), time(12, 0), frozenset({5}), frozenset({date(2026, 11, 28)})
    )
    assert dict(cal.weekly) == {5: (time(9, 0), time(12, 0))}
    saturday = datetime(2026, 11, 21, 11, 0, tzinfo=ZoneInfo("Europe/Vienna"))
    due = cal.add(saturday, timedelta(hours=2))  # 1 h this Saturday, the next is a holiday
    assert due == datetime(2026, 12, 5, 10, 0, tzinfo=ZoneInfo("Europe/Vienna"))


def test_the_longest_weekday_is_a_business_day() -> None:
    assert FRIDAY_SHORT.day_length == timedelta(hours=9)
    assert FRIDAY_SHORT.week_length == timedelta(hours=41)
    monday = berlin(2026, 11, 23, 9, 0)
    p2 = default_targets(FRIDAY_SHORT.day_length)["P2"]
    assert FRIDAY_SHORT.add(monday, p2) == berlin(2026, 11, 24, 9, 0)


def test_a_shorter_friday_ends_the_day_earlier() -> None:
    friday_noon = berlin(2026, 11, 27, 12, 0)
    assert FRIDAY_SHORT.add(friday_noon, timedelta(hours=1)) == berlin(2026, 11, 27, 13, 0)
    assert FRIDAY_SHORT.add(friday_noon, timedelta(hours=2)) == berlin(2026, 11, 30, 9, 0)
    assert FRIDAY_SHORT.between(friday_noon, berlin(2026, 11, 30, 9, 0)) == timedelta(hours=2)
    # After Friday's closing nothing counts until Monday.
    assert FRIDAY_SHORT.between(berlin(2026, 11, 27, 14, 0), berlin(2026, 11, 30, 8, 0)) == (
        timedelta(0)
    )


def test_spring_change_makes_the_day_an_hour_shorter() -> None:
    sunday = berlin(2026, 3, 29, 0, 0)  # 02:00 becomes 03:00
    assert SUNDAY_NIGHTS.between(sunday, berlin(2026, 3, 29, 12, 0)) == timedelta(hours=5)
    assert SUNDAY_NIGHTS.add(sunday, timedelta(hours=5)) == berlin(2026, 3, 29, 6, 0)
    assert SUNDAY_NIGHTS.add(sunday, timedelta(hours=6)) == berlin(2026, 4, 5, 1, 0)
    # 02:00 + 1 h of real time on that day is 04:00 local time.
    assert utc(SUNDAY_NIGHTS.add(berlin(2026, 3, 29, 1, 0), timedelta(hours=2))) == utc(
        berlin(2026, 3, 29, 4, 0)
    )


def test_autumn_change_makes_the_day_an_hour_longer() -> None:
    sunday = berlin(2026, 10, 25, 0, 0)  # 03:00 becomes 02:00 again
    assert SUNDAY_NIGHTS.between(sunday, berlin(2026, 10, 25, 12, 0)) == timedelta(hours=7)
    assert SUNDAY_NIGHTS.add(sunday, timedelta(hours=7)) == berlin(2026, 10, 25, 6, 0)
    assert SUNDAY_NIGHTS.add(sunday, timedelta(hours=8)) == berlin(2026, 11, 1, 1, 0)
    # Three hours after midnight is the second 02:00 (winter time), 01:00 UTC.
    third = SUNDAY_NIGHTS.add(sunday, timedelta(hours=3))
    assert utc(third) == datetime(2026, 10, 25, 1, 0, tzinfo=UTC)
    assert third.utcoffset() == timedelta(hours=1)


def test_weeks_with_a_change_of_the_clocks_count_real_time() -> None:
    start = berlin(2026, 3, 22, 0, 0)  # 6 h, then 5 h on the 29th, then 6 h
    assert SUNDAY_NIGHTS.add(start, timedelta(hours=17)) == berlin(2026, 4, 5, 6, 0)
    assert SUNDAY_NIGHTS.between(start, berlin(2026, 4, 6)) == timedelta(hours=17)
    autumn = berlin(2026, 10, 18, 0, 0)  # 6 h, then 7 h on the 25th, then 6 h
    assert SUNDAY_NIGHTS.between(autumn, berlin(2026, 11, 2)) == timedelta(hours=19)
    # The ordinary office hours do not span the change: a 9-hour Monday stays 9 hours.
    assert CAL.between(berlin(2026, 3, 27, 8), berlin(2026, 3, 30, 17)) == timedelta(hours=18)


def test_business_time_between_two_moments() -> None:
    monday = berlin(2026, 11, 23, 9, 0)
    assert CAL.between(monday, berlin(2026, 11, 23, 13, 0)) == timedelta(hours=4)
    assert CAL.between(monday, berlin(2026, 11, 24, 10, 0)) == timedelta(hours=10)
    assert CAL.between(berlin(2026, 11, 27, 16, 0), berlin(2026, 11, 30, 11, 0)) == (
        timedelta(hours=4)
    )
    assert CAL.between(berlin(2026, 11, 28, 8), berlin(2026, 11, 29, 20)) == timedelta(0)
    assert CAL.between(monday, monday) == timedelta(0)
    assert CAL.between(berlin(2026, 11, 24), monday) == timedelta(0)  # end before start
    # Several weeks at once, with a holiday in the middle.
    cal = BusinessCalendar(holidays=frozenset({date(2026, 12, 8)}))
    assert cal.between(berlin(2026, 11, 23), berlin(2026, 12, 21)) == timedelta(hours=4 * 45 - 9)


def test_zero_duration_is_the_start_itself() -> None:
    saturday = berlin(2026, 11, 28, 12, 0)
    assert CAL.add(saturday, timedelta(0)) == saturday
    friday_close = berlin(2026, 11, 27, 17, 0)
    assert CAL.add(berlin(2026, 11, 27, 16, 0), timedelta(hours=1)) == friday_close


def test_naive_times_and_negative_durations_are_refused() -> None:
    with pytest.raises(ValueError, match="time zone"):
        CAL.add(datetime(2026, 11, 23, 9, 0), timedelta(hours=1))
    with pytest.raises(ValueError, match="time zone"):
        CAL.between(berlin(2026, 11, 23), datetime(2026, 11, 24))
    with pytest.raises(ValueError, match="negative"):
        CAL.add(berlin(2026, 11, 23), timedelta(hours=-1))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"timezone": "Europe/Nowhere"}, "Unknown time zone"),
        ({"timezone": "../etc/passwd"}, "Unknown time zone"),
        ({"weekly": {0: (time(17, 0), time(8, 0))}}, "not after opening"),
        ({"weekly": {0: (time(8, 0), time(8, 0))}}, "not after opening"),
        ({"weekly": {}}, "at least one working day"),
        ({"weekly": {7: (time(8, 0), time(9, 0))}}, "Weekday 7"),
    ],
)
def test_impossible_calendars_are_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        BusinessCalendar(**kwargs)  # type: ignore[arg-type]


def test_uniform_without_workdays_is_refused() -> None:
    with pytest.raises(ValueError, match="at least one working day"):
        BusinessCalendar.uniform("Europe/Berlin", time(8), time(17), workdays=frozenset())


def test_calendar_is_a_value() -> None:
    hours = {0: (time(8, 0), time(12, 0))}
    cal = BusinessCalendar(weekly=hours)
    hours[1] = (time(8, 0), time(12, 0))  # changing the caller's dict changes nothing
    assert dict(cal.weekly) == {0: (time(8, 0), time(12, 0))}
    same = BusinessCalendar(weekly={0: (time(8, 0), time(12, 0))})
    assert cal == same and hash(cal) == hash(same)
    assert cal != CAL


def _add_day_by_day(cal: BusinessCalendar, start: datetime, duration: timedelta) -> datetime:
    """The definition, slowly: walk the days, in UTC."""
    at = start.astimezone(UTC)
    day = at.astimezone(cal.zone).date()
    remaining = duration
    while True:
        hours = cal.hours_on(day)
        if hours is not None and max(at, hours[0]) < hours[1]:
            begin = max(at, hours[0])
            if remaining <= hours[1] - begin:
                return begin + remaining
            remaining -= hours[1] - begin
        day += timedelta(days=1)


@pytest.mark.parametrize("cal", [CAL, FRIDAY_SHORT, SUNDAY_NIGHTS], ids=["office", "fri", "sun"])
def test_week_steps_agree_with_walking_day_by_day(cal: BusinessCalendar) -> None:
    holidays = frozenset({date(2026, 3, 20), date(2026, 3, 29), date(2026, 10, 30)})
    cal = BusinessCalendar(timezone=cal.timezone, weekly=cal.weekly, holidays=holidays)
    rng = random.Random(2026)
    for _ in range(300):
        start = berlin(2026, 1, 1) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        duration = timedelta(minutes=rng.randrange(1, 400 * 60))
        due = cal.add(start, duration)
        assert utc(due) == _add_day_by_day(cal, start, duration), (start, duration)
        assert cal.between(start, due) == duration, (start, duration)


def test_years_of_business_time_are_quick() -> None:
    began = time_module.perf_counter()
    due = CAL.add(berlin(2026, 1, 5, 8, 0), 52 * 5 * CAL.week_length)
    assert time_module.perf_counter() - began < 0.5
    assert due == berlin(2030, 12, 27, 17, 0)  # 260 weeks of 45 hours
    assert CAL.between(berlin(2026, 1, 5, 8, 0), due) == 52 * 5 * CAL.week_length


def test_equal_calendars_share_one_instance_and_different_ones_do_not() -> None:
    """Pages read their calendars anew for each request; what one request worked out
    (the days' hours) serves the next only for a calendar equal in every rule."""
    first = shared(BusinessCalendar(holidays=frozenset({date(2026, 12, 24)})))
    again = shared(BusinessCalendar(holidays=frozenset({date(2026, 12, 24)})))
    other = shared(BusinessCalendar(holidays=frozenset({date(2026, 12, 25)})))
    assert first is again
    assert other is not first
    # The remembered hours belong to their calendar: Christmas Eve is closed only in the
    # first, Christmas Day only in the other, however often they are asked.
    for _ in range(2):
        assert first.hours_on(date(2026, 12, 24)) is None
        assert other.hours_on(date(2026, 12, 24)) is not None
        assert other.hours_on(date(2026, 12, 25)) is None
        assert first.hours_on(date(2026, 12, 25)) is not None


def test_a_remembered_day_answers_like_a_fresh_calendar() -> None:
    remembered = shared(BusinessCalendar(timezone="America/New_York"))
    day = date(2026, 3, 8)  # the clocks change in New York
    for offset in range(14):
        asked = day + timedelta(days=offset)
        fresh = BusinessCalendar(timezone="America/New_York")
        assert remembered.hours_on(asked) == fresh.hours_on(asked)
        assert remembered.hours_on(asked) == remembered.hours_on(asked)
