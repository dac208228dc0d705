"""The tickets service's refusals as the desk's forms show them: each field error next to
its field, in the reader's language and in the desk's words (the customer's form speaks
of "your organization", the desk of the customer's), and the one refusal that is no
error: someone else's message arrived while the agent was writing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.i18n import TEXTS, field_message

# The service's error codes in the desk's words; other codes keep the service's message.
CODES = {
    "unknown_asset": "desk_err_unknown_asset",
    "unknown_contact": "desk_err_unknown_contact",
    "organization_mismatch": "desk_err_organization_mismatch",
    "unknown_agent": "desk_err_unknown_agent",
    "unknown_group": "work_err_unknown_group",
    "no_area": "tickets_err_no_area",
    "unknown_area": "tickets_err_area",
    "unknown_subtype": "tickets_err_subtype",
    "enum": "tickets_err_choice",
    "literal_error": "tickets_err_choice",
}
NEWER_MESSAGE = "newer_message"


def desk_messages(error: ServiceError, lang: str, fields: Mapping[str, str]) -> dict[str, str]:
    """Field id -> message for the errors `fields` (API field -> form field id) has a
    place for; the general message (with those it has none for) under ""."""
    words = TEXTS[lang]
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    for found in error.errors:
        message = _text(found, lang)
        target = fields.get(str(found.get("field", "")).split(".")[0])
        if target:
            placed.setdefault(target, message)
        else:
            unplaced.append(message)
    if not error.errors:
        return {"": error.message(lang)}
    general = words["form_has_errors"] if placed else ""
    placed[""] = " ".join([general, *unplaced]).strip()
    return placed


def _text(error: dict[str, Any], lang: str) -> str:
    key = CODES.get(str(error.get("code", "")))
    return TEXTS[lang][key] if key else field_message(error, lang)


def newer_message(error: ServiceError) -> bool:
    """Whether the service held a reply back because someone else wrote meanwhile."""
    if error.status != 409:
        return False
    try:
        problem = error.answer.json()
    except ValueError:
        return False
    return isinstance(problem, dict) and problem.get("code") == NEWER_MESSAGE
