"""The rules of groups and routing as pure functions: which rule a new ticket matches,
who of a group's members is next in the round robin, and what makes a group or a rule
invalid (field errors with stable codes, so that pages can word them in German)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from portal_tickets.groups.models import RoutingRule

FieldError = dict[str, str]
CONDITIONS = ("subject_area", "category", "organization_id", "product")


def error(field: str, message: str, code: str) -> FieldError:
    return {"field": field, "message": message, "code": code}


@dataclass(frozen=True)
class TicketFacts:
    """What routing looks at in a new ticket."""

    subject_area: str | None
    category: str | None
    organization_id: uuid.UUID | None
    product: str | None
    asset_product: str | None = None


def _same(wanted: str, value: str | None) -> bool:
    return value is not None and wanted.casefold() == value.strip().casefold()


def matches(rule: RoutingRule, ticket: TicketFacts) -> bool:
    """Every condition the rule names holds for the ticket (a rule naming none matches
    nothing: the use cases never store one)."""
    named = False
    if rule.subject_area is not None:
        named = True
        if not _same(rule.subject_area, ticket.subject_area):
            return False
    if rule.category is not None:
        named = True
        if rule.category != ticket.category:
            return False
    if rule.organization_id is not None:
        named = True
        if rule.organization_id != ticket.organization_id:
            return False
    if rule.product is not None:
        named = True
        products = (ticket.product, ticket.asset_product)
        if not any(_same(rule.product, p) for p in products):
            return False
    return named


def first_match(rules: Sequence[RoutingRule], ticket: TicketFacts) -> RoutingRule | None:
    """The first rule, in the order given (by position), that the ticket matches."""
    return next((rule for rule in rules if matches(rule, ticket)), None)


def next_member(active: Sequence[uuid.UUID], handed_out: int) -> uuid.UUID:
    """The member who gets the `handed_out`-th ticket (counted from 1) of the round
    robin over the `active` members, in the group's order."""
    return active[(handed_out - 1) % len(active)]


def distinct(ids: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """`ids` without repetitions, in the order of their first occurrence."""
    return list(dict.fromkeys(ids))


def no_condition() -> FieldError:
    message = "Name at least one condition: subject area, category, organization or product."
    return error("conditions", message, "no_condition")


def has_condition(values: dict[str, object]) -> bool:
    return any(values.get(name) is not None for name in CONDITIONS)


def placed(items: list[uuid.UUID], item: uuid.UUID, position: int | None) -> list[uuid.UUID]:
    """`items` with `item` moved (or added) to `position` (from 1; None or beyond the
    end: last)."""
    rest = [i for i in items if i != item]
    index = len(rest) if position is None else min(max(position, 1) - 1, len(rest))
    return [*rest[:index], item, *rest[index:]]
