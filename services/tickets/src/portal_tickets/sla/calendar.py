"""Business-hours arithmetic for SLA targets (pure functions, no I/O).

A calendar names a time zone, the opening hours of each weekday (0 = Monday .. 6 = Sunday;
a weekday left out is closed) and the holidays. A day's hours are local wall-clock hours,
so on the day the clocks change the real time between opening and closing counts: one
hour less in spring, one more in autumn, when the hours span the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from types import MappingProxyType
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ZERO = timedelta(0)
WEEK = timedelta(days=7)
ONE_DAY = timedelta(days=1)
WORKDAYS = frozenset({0, 1, 2, 3, 4})  # Monday .. Friday
OFFICE_HOURS = (time(8, 0), time(17, 0))
MEMO_DAYS = 20_000  # days whose hours one calendar keeps (about 55 years)


def _office_week() -> Mapping[int, tuple[time, time]]:
    return MappingProxyType(dict.fromkeys(sorted(WORKDAYS), OFFICE_HOURS))


def _wall_hours(hours: tuple[time, time]) -> timedelta:
    opens, closes = hours
    return datetime.combine(date.min, closes) - datetime.combine(date.min, opens)


def _check_hours(weekly: Mapping[int, tuple[time, time]]) -> None:
    if not weekly:
        raise ValueError("A business calendar needs at least one working day with opening hours.")
    for weekday, (opens, closes) in weekly.items():
        if weekday not in range(7):
            raise ValueError(f"Weekday {weekday} does not exist: use 0 (Monday) to 6 (Sunday).")
        if opens.tzinfo is not None or closes.tzinfo is not None:
            raise ValueError("Opening hours are local times without a time zone of their own.")
        if closes <= opens:
            raise ValueError(
                f"On weekday {weekday} closing time {closes:%H:%M} is not after "
                f"opening time {opens:%H:%M}."
            )


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone: business time needs one.")
    return moment.astimezone(UTC)


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "Europe/Berlin"
    # weekday (0 = Monday .. 6 = Sunday) -> (opens, closes); a weekday left out is closed
    weekly: Mapping[int, tuple[time, time]] = field(default_factory=_office_week)
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"Unknown time zone {self.timezone!r}.") from error
        _check_hours(self.weekly)
        # A private, read-only copy: the calendar stays what it was when made.
        object.__setattr__(self, "weekly", MappingProxyType(dict(sorted(self.weekly.items()))))
        object.__setattr__(self, "holidays", frozenset(self.holidays))
        object.__setattr__(self, "_hash", hash(self.key))
        # A page's clocks ask for the same few days again and again (each target's span,
        # time left, pauses): each day's hours are worked out once per calendar.
        object.__setattr__(self, "_days", {})

    @property
    def key(self) -> tuple[str, tuple[tuple[int, tuple[time, time]], ...], frozenset[date]]:
        return (self.timezone, tuple(self.weekly.items()), self.holidays)

    def __hash__(self) -> int:
        return self._hash  # type: ignore[attr-defined, no-any-return]

    @classmethod
    def uniform(
        cls,
        timezone: str,
        opens: time,
        closes: time,
        workdays: frozenset[int] = WORKDAYS,
        holidays: frozenset[date] = frozenset(),
    ) -> BusinessCalendar:
        """The same opening hours on every working day."""
        return cls(
            timezone=timezone,
            weekly=dict.fromkeys(sorted(workdays), (opens, closes)),
            holidays=frozenset(holidays),
        )

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def day_length(self) -> timedelta:
        """The opening hours of the longest weekday (what "one business day" means)."""
        return max(_wall_hours(hours) for hours in self.weekly.values())

    @property
    def week_length(self) -> timedelta:
        """The opening hours of a week without holidays or a change of the clocks."""
        return sum((_wall_hours(hours) for hours in self.weekly.values()), ZERO)

    def is_workday(self, day: date) -> bool:
        return day.weekday() in self.weekly and day not in self.holidays

    def hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's opening and closing moment in UTC, or None when it is closed."""
        days: dict[date, tuple[datetime, datetime] | None] = self._days  # type: ignore[attr-defined]
        try:
            return days[day]
        except KeyError:
            pass
        if len(days) > MEMO_DAYS:
            days.clear()
        found = days[day] = self._hours_on(day)
        return found

    def _hours_on(self, day: date) -> tuple[datetime, datetime] | None:
        if not self.is_workday(day):
            return None
        opens, closes = self.weekly[day.weekday()]
        zone = self.zone
        start = datetime.combine(day, opens, zone).astimezone(UTC)
        return start, datetime.combine(day, closes, zone).astimezone(UTC)

    def _local_day(self, moment: datetime) -> date:
        return moment.astimezone(self.zone).date()

    def _week_time(self, first: date) -> timedelta:
        """Business time of the seven days from `first` on."""
        return _week_time(self, first)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The first moment by which `duration` of business time has passed since `start`
        (an aware datetime; the answer is in `start`'s time zone). A positive duration
        ending with a day's hours ends at that day's closing time; zero is `start`."""
        if duration < ZERO:
            raise ValueError("A duration of business time cannot be negative.")
        at = _aware(start)
        if duration == ZERO:
            return start
        remaining = duration
        day = self._local_day(at)
        hours = self.hours_on(day)
        if hours is not None and max(at, hours[0]) < hours[1]:
            begin = max(at, hours[0])
            if remaining <= hours[1] - begin:
                return (begin + remaining).astimezone(start.tzinfo)
            remaining -= hours[1] - begin
        day += ONE_DAY
        while remaining > (week := self._week_time(day)):  # whole weeks at a time
            remaining -= week
            day += WEEK
        while True:  # the calendar has working time: this ends within the week
            hours = self.hours_on(day)
            if hours is not None:
                if remaining <= hours[1] - hours[0]:
                    return (hours[0] + remaining).astimezone(start.tzinfo)
                remaining -= hours[1] - hours[0]
            day += ONE_DAY

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Business time in [start, end); zero when `end` is not after `start`."""
        low, high = _aware(start), _aware(end)
        if high <= low:
            return ZERO
        first, last = self._local_day(low), self._local_day(high)
        total = ZERO
        day = first
        while day <= last:
            if first < day and day + WEEK <= last:  # a whole week inside the range
                total += self._week_time(day)
                day += WEEK
                continue
            hours = self.hours_on(day)
            if hours is not None:
                total += max(ZERO, min(hours[1], high) - max(hours[0], low))
            day += ONE_DAY
        return total


def shared(calendar: BusinessCalendar) -> BusinessCalendar:
    """One instance for equal calendars, so that what one request worked out (the days'
    hours, the weeks' business time) serves the next: pages read their calendars anew."""
    return _shared(calendar.key)


@lru_cache(maxsize=256)
def _shared(
    key: tuple[str, tuple[tuple[int, tuple[time, time]], ...], frozenset[date]],
) -> BusinessCalendar:
    timezone, weekly, holidays = key
    return BusinessCalendar(timezone=timezone, weekly=dict(weekly), holidays=holidays)


# Remembered for equal calendars: a clock paused for months walks the same weeks for each
# of its due times, page after page.
@lru_cache(maxsize=16384)
def _week_time(calendar: BusinessCalendar, first: date) -> timedelta:
    zone = calendar.zone
    days = [first + n * ONE_DAY for n in range(7)]
    start = datetime.combine(first, time(0), zone).astimezone(UTC)
    end = datetime.combine(first + WEEK, time(0), zone).astimezone(UTC)
    if end - start == WEEK and not calendar.holidays.intersection(days):
        return calendar.week_length
    total = ZERO
    for day in days:
        hours = calendar.hours_on(day)
        if hours is not None:
            total += hours[1] - hours[0]
    return total


# Reaction targets in business time, by priority (DESIGN: P1 < 4 h, P2 < 1 business day,
# P3 < 3 business days, P4 < 5 business days); contracts may override them.
def default_targets(day: timedelta) -> dict[str, timedelta]:
    return {"P1": timedelta(hours=4), "P2": day, "P3": 3 * day, "P4": 5 * day}
