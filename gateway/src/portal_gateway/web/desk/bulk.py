"""Bulk actions of the queue: the tickets ticked in the list, one form with the change
(assignee, status, priority) and an internal note, sent to the tickets service as one
bulk request; its answer says for each ticket whether it took, and the page says so in
the reader's language ("3 changed, 1 refused: T000004 - the ticket is closed")."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import (
    PRIORITIES,
    STATUSES,
    BulkOutcome,
    BulkResult,
    TicketsClient,
)
from portal_gateway.web.i18n import TEXTS, field_message

MAX_TICKETS = 100  # the service's limit of one bulk request
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
NOTE_LIMIT = 100_000
MERGED = re.compile(r"merged into (\S+?);")

# The refusals' codes in the desk's words; other codes keep the service's message.
CODES = {
    "unknown_agent": "desk_bulk_err_agent",
    "no_priority_contract": "desk_bulk_err_priority_contract",
    "staff_only": "desk_bulk_err_staff_only",
    "unknown": "desk_bulk_err_status",
    "enum": "desk_bulk_err_choice",
    "literal_error": "desk_bulk_err_choice",
}
# Refusals without field errors, by their status.
STATUS_WORDS = {
    403: "desk_bulk_err_forbidden",
    404: "desk_bulk_err_missing",
    409: "desk_bulk_err_closed",
}


@dataclass
class BulkForm:
    """The bulk bar of the queue: which tickets, and what to do with them."""

    numbers: list[str] = field(default_factory=list)
    assignee: str = ""  # "" keeps it; "me", "none" (nobody) or an agent's id
    status: str = ""
    priority: str = ""
    note: str = ""

    @classmethod
    def of(cls, form: FormData, text: Callable[[str, int], str]) -> BulkForm:
        numbers = [n.strip() for n in form.getlist("number") if isinstance(n, str)]
        return cls(
            numbers=list(dict.fromkeys(n for n in numbers if NUMBER.match(n))),
            assignee=text("assignee", 64),
            status=text("status", 32),
            priority=text("priority", 8),
            note=text("note", NOTE_LIMIT),
        )

    def changes(self, me: str) -> dict[str, Any]:
        """The change for the service; unknown values go as they are (it refuses them)."""
        changes: dict[str, Any] = {}
        if self.assignee == "me":
            changes["assignee_id"] = me
        elif self.assignee == "none":
            changes["assignee_id"] = None
        elif self.assignee:
            changes["assignee_id"] = self.assignee
        if self.status:
            changes["status"] = self.status
        if self.priority:
            changes["priority"] = self.priority
        return changes

    def problem(self, t: Mapping[str, str]) -> str | None:
        """What the page refuses before asking the service."""
        if not self.numbers:
            return t["desk_bulk_none_selected"]
        if len(self.numbers) > MAX_TICKETS:
            return t["desk_bulk_too_many"]  # MAX_TICKETS, as the service allows
        if not (self.assignee or self.status or self.priority or self.note):
            return t["desk_bulk_nothing"]
        known = ("", "me", "none")
        if self.assignee not in known and not is_uuid(self.assignee):
            return t["desk_bulk_err_agent"]
        if self.status not in ("", *STATUSES) or self.priority not in ("", *PRIORITIES):
            return t["desk_bulk_err_choice"]
        return None


@dataclass
class BulkSummary:
    """What the page says after a bulk action."""

    text: str
    refusals: list[tuple[str, str]]  # (number, why) for each ticket that refused
    failed: bool


async def apply(tickets: TicketsClient, form: BulkForm, me: str) -> BulkResult:
    return await tickets.bulk(form.numbers, form.changes(me), form.note or None)


def summary(result: BulkResult, lang: str) -> BulkSummary:
    t = TEXTS[lang]
    refusals = [(o.number, reason(o, lang)) for o in result.results if not o.ok]
    text = t["desk_bulk_done"].format(changed=result.changed, refused=result.failed)
    if refusals:
        text += ":"
    return BulkSummary(text=text, refusals=refusals, failed=bool(refusals))


def reason(outcome: BulkOutcome, lang: str) -> str:
    """Why one ticket refused, in the reader's language."""
    t = TEXTS[lang]
    if outcome.errors:
        return " ".join(_error_text(e, lang) for e in outcome.errors)
    detail = outcome.detail or ""
    if outcome.status == 409 and (merged := MERGED.search(detail)):
        return t["desk_bulk_err_merged"].format(number=merged.group(1))
    key = STATUS_WORDS.get(outcome.status)
    return t[key] if key else t["desk_bulk_err_other"].format(status=outcome.status)


def _error_text(error: dict[str, Any], lang: str) -> str:
    key = CODES.get(str(error.get("code", "")))
    return TEXTS[lang][key] if key else field_message(error, lang)


def refused_whole(error: ServiceError, lang: str) -> str:
    """The service refused the request as a whole (no ticket was tried)."""
    if error.errors:
        return " ".join(_error_text(e, lang) for e in error.errors)
    return error.message(lang)
