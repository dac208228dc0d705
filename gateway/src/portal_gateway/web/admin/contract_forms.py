"""The forms of the contract and business calendar pages: what a posted form holds, the
body the tickets service gets from it, and where the service's messages belong."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fastapi import Request

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Submission
from portal_gateway.web.clients.contracts import PRIORITIES, Calendar, Contract
from portal_gateway.web.forms import checked
from portal_gateway.web.i18n import TEXTS, language

WEEKDAYS = tuple(range(7))  # 0 = Monday .. 6 = Sunday, as the service counts them
GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
SEPARATORS = re.compile(r"[\s,;]+")
NOTICES = {
    "calendar_created": "contract_done_calendar_created",
    "calendar_saved": "contract_done_calendar_saved",
    "calendar_deleted": "contract_done_calendar_deleted",
    "contract_created": "contract_done_contract_created",
    "contract_saved": "contract_done_contract_saved",
    "contract_deleted": "contract_done_contract_deleted",
}


def notice(request: Request) -> str | None:
    """The message after a finished action on these pages (`?done=`)."""
    key = NOTICES.get(request.query_params.get("done", ""))
    if key is None:
        return None
    subject = request.query_params.get("subject", "")
    subject = subject if kit.SUBJECT.match(subject) else ""
    return TEXTS[language(request)][key].format(subject=subject)


def iso_date(text: str) -> str:
    """A typed date as the service reads it: 31.12.2026 becomes 2026-12-31; anything
    else goes as typed (the service names what is wrong with it)."""
    found = GERMAN_DATE.match(text.strip())
    if found is None:
        return text.strip()
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return text.strip()


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def hours(text: str) -> float | str:
    """Business hours as typed ("4", "1,5"): a number, or the text for the service to
    refuse readably."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        return text.strip()
    return value if math.isfinite(value) else text.strip()


def shown_hours(value: float) -> str:
    return f"{value:g}"


# -- business calendars ------------------------------------------------------------------


@dataclass
class DayRow:
    """One weekday of the weekly hours; both times empty: closed that day."""

    day: int
    opens: str = ""
    closes: str = ""

    @property
    def closed(self) -> bool:
        return not (self.opens or self.closes)


@dataclass
class CalendarForm:
    name: str = ""
    time_zone: str = "Europe/Berlin"
    days: list[DayRow] = field(
        default_factory=lambda: [
            DayRow(d, "08:00", "17:00") if d < 5 else DayRow(d) for d in WEEKDAYS
        ]
    )
    holidays: str = ""
    is_default: bool = False

    @classmethod
    def of(cls, calendar: Calendar) -> CalendarForm:
        days = []
        for day in WEEKDAYS:
            span = calendar.weekly.get(str(day)) or []
            days.append(DayRow(day, *span[:2]) if len(span) >= 2 else DayRow(day))
        return cls(
            name=calendar.name,
            time_zone=calendar.time_zone,
            days=days,
            holidays="\n".join(d.isoformat() for d in calendar.holidays),
            is_default=calendar.is_default,
        )

    @classmethod
    def posted(cls, submission: Submission) -> CalendarForm:
        text = submission.text
        return cls(
            name=text("name", 200),
            time_zone=text("time_zone", 64),
            days=[DayRow(d, text(f"day{d}_opens", 8), text(f"day{d}_closes", 8)) for d in WEEKDAYS],
            holidays=text("holidays", 8000),
            is_default=checked(submission.form, "is_default"),
        )

    def half_open(self, lang: str) -> dict[str, str]:
        """Days with one time only: checked here, the service takes pairs."""
        words = TEXTS[lang]
        return {
            f"day{row.day}_{'closes' if row.opens else 'opens'}": words["calendar_day_half_open"]
            for row in self.days
            if bool(row.opens) != bool(row.closes)
        }

    def body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "time_zone": self.time_zone,
            "weekly": {str(r.day): [r.opens, r.closes] for r in self.days if not r.closed},
            "holidays": [iso_date(d) for d in SEPARATORS.split(self.holidays) if d.strip()],
            "is_default": self.is_default,
        }

    @staticmethod
    def locate(path: list[str]) -> str | None:
        """Where an API message about a calendar belongs in the form."""
        if not path:
            return None
        if path[0] == "weekly" and len(path) > 1 and path[1] in {str(d) for d in WEEKDAYS}:
            return f"day{path[1]}_closes"
        if path[0] in ("name", "time_zone", "weekly", "holidays", "is_default"):
            return path[0]
        return None


# -- contracts ---------------------------------------------------------------------------


@dataclass
class TargetRow:
    priority: str
    reaction: str = ""
    resolution: str = ""


DEFAULT_TARGETS = {"P1": ("4", "16"), "P2": ("9", "36"), "P3": ("27", "108"), "P4": ("45", "180")}


@dataclass
class ContractForm:
    organization_id: str = ""
    name: str = ""
    valid_from: str = ""
    valid_until: str = ""
    priorities_selectable: bool = False
    default_priority: str = ""  # "": P4, the standard
    calendar_id: str = ""
    targets: list[TargetRow] = field(
        default_factory=lambda: [TargetRow(p, *DEFAULT_TARGETS[p]) for p in PRIORITIES]
    )
    products: str = ""
    asset_ids: str = ""

    @classmethod
    def of(cls, contract: Contract) -> ContractForm:
        rows = []
        for p in PRIORITIES:
            target = contract.targets.get(p)
            rows.append(
                TargetRow(
                    p, shown_hours(target.reaction_hours), shown_hours(target.resolution_hours)
                )
                if target
                else TargetRow(p)
            )
        return cls(
            organization_id=contract.organization_id,
            name=contract.name,
            valid_from=contract.valid_from.isoformat(),
            valid_until=contract.valid_until.isoformat() if contract.valid_until else "",
            priorities_selectable=contract.priorities_selectable,
            # P4 is what "no default" means: the form shows both as the standard.
            default_priority=contract.default_priority
            if contract.default_priority in ("P1", "P2", "P3")
            else "",
            calendar_id=contract.calendar_id,
            targets=rows,
            products="\n".join(contract.products),
            asset_ids="\n".join(contract.asset_ids),
        )

    @classmethod
    def posted(cls, submission: Submission) -> ContractForm:
        text = submission.text
        return cls(
            organization_id=text("organization_id", 100),
            name=text("name", 200),
            valid_from=text("valid_from", 20),
            valid_until=text("valid_until", 20),
            priorities_selectable=checked(submission.form, "priorities_selectable"),
            default_priority=text("default_priority", 10),
            calendar_id=text("calendar_id", 100),
            targets=[
                TargetRow(p, text(f"{p.lower()}_reaction", 20), text(f"{p.lower()}_resolution", 20))
                for p in PRIORITIES
            ],
            products=text("products", 30_000),
            asset_ids=text("asset_ids", 50_000),
        )

    def body(self, *, editing: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "valid_from": iso_date(self.valid_from) or None,
            "valid_until": iso_date(self.valid_until) or None,
            "priorities_selectable": self.priorities_selectable,
            "default_priority": self.default_priority or None,
            "calendar_id": self.calendar_id or None,
            "targets": {
                row.priority: {
                    "reaction_hours": hours(row.reaction),
                    "resolution_hours": hours(row.resolution),
                }
                for row in self.targets
            },
            "products": lines(self.products),
            "asset_ids": lines(self.asset_ids),
        }
        if not editing:  # a contract stays with its organization
            body["organization_id"] = self.organization_id or None
        return body

    @staticmethod
    def locate(path: list[str]) -> str | None:
        """Where an API message about a contract belongs in the form."""
        if not path:
            return None
        if path[0] == "targets":
            priority = path[1] if len(path) > 1 and path[1] in PRIORITIES else None
            if priority is None:
                return "targets"
            part = "resolution" if len(path) > 2 and path[2] == "resolution_hours" else "reaction"
            return f"{priority.lower()}_{part}"
        if path[0] in (
            "organization_id",
            "name",
            "valid_from",
            "valid_until",
            "priorities_selectable",
            "default_priority",
            "calendar_id",
            "products",
            "asset_ids",
        ):
            return path[0]
        return None
