"""Business-hours arithmetic for reaction-time targets (pure functions)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class BusinessCalendar:
    timezone: str = "Europe/Berlin"
    opens: time = time(8, 0)
    closes: time = time(17, 0)
    workdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday .. Friday
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def day_length(self) -> timedelta:
        return datetime.combine(date.min, self.closes) - datetime.combine(date.min, self.opens)

    def is_workday(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """The moment `duration` of business time after `start` (an aware datetime)."""
        zone = ZoneInfo(self.timezone)
        local = start.astimezone(zone)
        remaining = duration
        day = local.date()
        cursor = local.time()
        for _ in range(3660):  # ten years of days: a calendar without workdays stops here
            if self.is_workday(day):
                begin = max(cursor, self.opens)
                if begin < self.closes:
                    opened = datetime.combine(day, begin, zone)
                    closing = datetime.combine(day, self.closes, zone)
                    if opened + remaining <= closing:
                        return (opened + remaining).astimezone(start.tzinfo)
                    remaining -= closing - opened
            day += timedelta(days=1)
            cursor = time(0, 0)
        raise ValueError("the business calendar has no working time")


# Reaction targets in business time, by priority (DESIGN: P1 < 4 h, P2 < 1 business day,
# P3 < 3 business days, P4 < 5 business days); contracts may override them.
def default_targets(day: timedelta) -> dict[str, timedelta]:
    return {"P1": timedelta(hours=4), "P2": day, "P3": 3 * day, "P4": 5 * day}
