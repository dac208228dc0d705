"""The rules of contracts and calendars as pure functions: default targets, which
contract is in force, and what makes a calendar or a contract invalid (field errors
with stable codes, so that pages can word them in German)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time
from functools import cache
from typing import NamedTuple, Protocol, TypeVar
from zoneinfo import ZoneInfo, available_timezones

PRIORITIES = ("P1", "P2", "P3", "P4")
# A new ticket's priority when nobody names one and no contract names another.
STANDARD_PRIORITY = "P4"
# Reaction targets without a contract, in business days (P1: hours): DESIGN's P1 < 4 h,
# P2 < 1 business day, P3 < 3, P4 < 5.
DEFAULT_REACTION_DAYS = {"P2": 1, "P3": 3, "P4": 5}
DEFAULT_P1_REACTION_HOURS = 4.0
# Without a resolution target of its own, a priority is to be resolved within four
# times its reaction target (P1: 16 business hours, about two business days).
RESOLUTION_FACTOR = 4
OFFICE_WEEK = {str(d): ["08:00", "17:00"] for d in range(5)}

FieldError = dict[str, str]


class TargetHours(NamedTuple):
    """Business hours to the first reaction and to the resolution."""

    reaction_hours: float
    resolution_hours: float


def error(field: str, message: str, code: str) -> FieldError:
    return {"field": field, "message": message, "code": code}


def format_time(value: time) -> str:
    return value.strftime("%H:%M") if not (value.second or value.microsecond) else value.isoformat()


def parse_weekly(weekly: Mapping[str, Sequence[str]]) -> dict[int, tuple[time, time]]:
    """Stored weekly hours ({"0": ["08:00", "17:00"]}) as weekday -> (opens, closes)."""
    return {
        int(day): (time.fromisoformat(hours[0]), time.fromisoformat(hours[1]))
        for day, hours in sorted(weekly.items(), key=lambda item: int(item[0]))
    }


def store_weekly(weekly: Mapping[int, tuple[time, time]]) -> dict[str, list[str]]:
    return {str(day): [format_time(o), format_time(c)] for day, (o, c) in sorted(weekly.items())}


def day_hours(weekly: Mapping[int, tuple[time, time]]) -> float:
    """One business day in hours: the longest opening of the week (9 for 08:00-17:00)."""
    spans = [
        (datetime.combine(date.min, c) - datetime.combine(date.min, o)).total_seconds() / 3600
        for o, c in weekly.values()
    ]
    return max(spans, default=0.0)


def default_targets(business_day_hours: float) -> dict[str, TargetHours]:
    """The targets without a contract (or where a contract's priority has none)."""
    reaction = {"P1": DEFAULT_P1_REACTION_HOURS} | {
        p: days * business_day_hours for p, days in DEFAULT_REACTION_DAYS.items()
    }
    return {p: TargetHours(h, RESOLUTION_FACTOR * h) for p, h in reaction.items()}


def hours_for(targets: Mapping[str, Mapping[str, float]], priority: str) -> TargetHours:
    found = targets[priority]
    return TargetHours(float(found["reaction_hours"]), float(found["resolution_hours"]))


def valid_on(valid_from: date, valid_until: date | None, day: date) -> bool:
    return valid_from <= day and (valid_until is None or day <= valid_until)


def local_day(moment: datetime, time_zone: str) -> date:
    return moment.astimezone(ZoneInfo(time_zone)).date()


def overlaps(a: tuple[date, date | None], b: tuple[date, date | None]) -> bool:
    (a_from, a_until), (b_from, b_until) = a, b
    return (a_until is None or b_from <= a_until) and (b_until is None or a_from <= b_until)


class Candidate(Protocol):
    id: uuid.UUID
    valid_from: date
    products: list[str]
    asset_ids: list[str]
    created_at: datetime

    def in_force_at(self, moment: datetime) -> bool: ...


C = TypeVar("C", bound=Candidate)


def specificity(
    contract: Candidate,
    product: str | None,
    asset_id: str | None,
    asset_contract: uuid.UUID | None = None,
) -> int | None:
    """How closely `contract` covers a ticket of `product` and `asset_id`: 3 is the
    contract the asset itself names (`asset_contract`, the asset's `contract_id`), 2 lists
    the asset in its `asset_ids`, 1 names the product, 0 covers everything; None: it does
    not cover the ticket (it names other assets or products, or names some and the
    ticket has none)."""
    if asset_contract is not None and contract.id == asset_contract:
        return 3
    if contract.asset_ids and asset_id not in contract.asset_ids:
        return None
    if contract.products and product not in contract.products:
        return None
    return 2 if contract.asset_ids else 1 if contract.products else 0


def choose(
    contracts: Sequence[C],
    moment: datetime,
    product: str | None,
    asset_id: str | None,
    asset_contract: uuid.UUID | None = None,
) -> C | None:
    """The contract in force at `moment` for a ticket of `product` and `asset_id`: of
    those valid that day, the one the asset names (`asset_contract`: one source of
    truth for an asset's contract), else one listing the asset, else the product, else
    one covering everything; among equals the latest `valid_from` (then the newest).
    `contracts` are the ticket's organization's, so another's contract never counts."""
    ranked = []
    for contract in contracts:
        rank = specificity(contract, product, asset_id, asset_contract)
        if rank is not None and contract.in_force_at(moment):
            ranked.append(((rank, contract.valid_from, contract.created_at), contract))
    return max(ranked, key=lambda pair: pair[0])[1] if ranked else None


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def known_time_zone(name: str) -> bool:
    """An IANA time zone name this system knows (e.g. Europe/Berlin, UTC)."""
    return name in _zones()


def calendar_errors(time_zone: str, weekly: Mapping[str, tuple[time, time]]) -> list[FieldError]:
    errors = []
    if not known_time_zone(time_zone):
        errors.append(error("time_zone", f"Unknown time zone {time_zone!r}.", "unknown_time_zone"))
    if not weekly:
        errors.append(error("weekly", "Name at least one working day.", "no_working_day"))
    for day, (opens, closes) in weekly.items():
        field = f"weekly.{day}"
        if day not in {str(d) for d in range(7)}:
            message = "Weekdays are 0 (Monday) to 6 (Sunday)."
            errors.append(error(field, message, "unknown_weekday"))
        elif opens.tzinfo is not None or closes.tzinfo is not None:
            message = "Opening hours are local times, without a time zone."
            errors.append(error(field, message, "time_with_zone"))
        elif closes <= opens:
            message = f"Closing time {format_time(closes)} is not after opening time."
            errors.append(error(field, message, "closes_before_opens"))
    return errors


def target_errors(targets: Mapping[str, TargetHours]) -> list[FieldError]:
    errors = []
    for priority in sorted(set(targets) - set(PRIORITIES)):
        message = "Priorities are P1, P2, P3 and P4."
        errors.append(error(f"targets.{priority}", message, "unknown_priority"))
    for priority in PRIORITIES:
        if priority not in targets:
            message = f"Give the targets for {priority}."
            errors.append(error(f"targets.{priority}", message, "missing_priority"))
            continue
        reaction, resolution = targets[priority]
        for name, hours in (("reaction_hours", reaction), ("resolution_hours", resolution)):
            if hours <= 0:
                message = "A target is a positive number of business hours."
                errors.append(error(f"targets.{priority}.{name}", message, "not_positive"))
        if 0 < resolution < reaction:
            message = "The resolution target cannot be shorter than the reaction target."
            field = f"targets.{priority}.resolution_hours"
            errors.append(error(field, message, "resolution_before_reaction"))
    return errors


def span_errors(valid_from: date, valid_until: date | None) -> list[FieldError]:
    if valid_until is not None and valid_until < valid_from:
        message = "The contract cannot end before it begins."
        return [error("valid_until", message, "valid_until_before_valid_from")]
    return []
