"""The demo story's clock: when each of its steps really ran, and when it pretends to.

The demo story (`portal dev --demo`) is played through the public API, which dates
everything "now" by design. A story of one minute would look like one; so the player
marks every step with the moment it stands for, and services date their own records of
that minute back with `shown()` afterwards (their `finish_demo` hook).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class DemoTimeline:
    # (real instant the step started, instant it stands for), in real order
    marks: list[tuple[datetime, datetime]] = field(default_factory=list)
    ended_at: datetime | None = None

    def mark(self, shown: datetime) -> None:
        """The next requests stand for `shown` (plus the little real time they take)."""
        self.marks.append((_now(), shown))

    def end(self) -> None:
        self.ended_at = _now()

    @property
    def empty(self) -> bool:
        return not self.marks

    def covers(self, real: datetime | None) -> bool:
        """Whether `real` was written while the story played (and so belongs to it)."""
        if real is None or not self.marks:
            return False
        end = self.ended_at or _now()
        return self.marks[0][0] <= real <= end

    def shown(self, real: datetime) -> datetime:
        """The instant a record written at `real` stands for (unchanged outside the story)."""
        if not self.covers(real):
            return real
        index = bisect_right([r for r, _ in self.marks], real) - 1
        started, shown = self.marks[index]
        return shown + (real - started)
