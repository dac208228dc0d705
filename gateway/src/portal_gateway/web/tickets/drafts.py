"""The new-ticket form: its fields, what a posted form holds (a draft), the body the
tickets service gets from it, the template's conversation guide as form fields, and the
service's refusal as messages placed next to the fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.catalog import GROUPS, TicketTemplate
from portal_gateway.web.clients.tickets import CATEGORIES, PRIORITIES
from portal_gateway.web.i18n import TEXTS, field_message

MAX_ATTACHMENTS = 4

FORM_FIELDS = (
    "title",
    "description",
    "category",
    "subject_area",
    "subtype",
    "product",
    "asset_id",
    "priority",
    "contact_id",
    "follow_up_of",
)
LIMITS = {
    "title": 200,
    "description": 100_000,
    "product": 200,
    "asset_id": 100,
    "follow_up_of": 32,
}
# What other systems may put into a deep link: query parameter -> form field.
PREFILL = {
    "title": "title",
    "description": "description",
    "product": "product",
    "asset": "asset_id",
    "follow_up_of": "follow_up_of",
}
# The API's field-error codes (and a few guide messages) in the reader's words.
ERROR_CODES = {
    "required": "tickets_err_required",
    "missing": "tickets_err_required",
    "string_too_short": "tickets_err_required",
    "string_too_long": "tickets_err_too_long",
    "enum": "tickets_err_choice",
    "literal_error": "tickets_err_choice",
    "unknown_file": "tickets_err_file",
    "unknown_contact": "tickets_err_contact",
    "unknown_template": "tickets_err_template",
    "no_area": "tickets_err_no_area",
    "unknown_area": "tickets_err_area",
    "unknown_subtype": "tickets_err_subtype",
    "too_many": "tickets_err_too_many",
    "not_closed": "tickets_err_not_closed",
    "unknown_ticket": "tickets_err_unknown_ticket",
    "unknown_asset": "tickets_err_unknown_asset",
}
GUIDE_MESSAGES = {
    "Enter a number.": "tickets_err_number",
    "Enter a date as YYYY-MM-DD.": "tickets_err_date",
    "Enter text.": "tickets_err_text",
    "Choose one of": "tickets_err_choice",
    "At most": "tickets_err_too_long",
}


def _field_id(path: str) -> str:
    """The id of the form control an API field error belongs to ("" = the whole form)."""
    head, _, rest = path.partition(".")
    if head == "guide_answers" and rest:
        return f"guide-{rest}"
    if head == "attachment_ids":
        return "attachments"
    return head if head in FORM_FIELDS else ""


def _error_text(error: dict[str, Any], lang: str) -> str:
    words = TEXTS[lang]
    message = str(error.get("message", ""))
    key = ERROR_CODES.get(str(error.get("code", "")))
    if key is None:
        key = next((k for start, k in GUIDE_MESSAGES.items() if message.startswith(start)), None)
    return words[key] if key else field_message(error, lang)


def form_errors(error: ServiceError, lang: str, *, missing: Iterable[str] = ()) -> dict[str, str]:
    """A refused ticket as messages by form control, with the general one under "";
    `missing` names controls the page found empty, for those the service did not name."""
    errors: dict[str, str] = {}
    for found in error.errors:
        errors.setdefault(_field_id(str(found.get("field", ""))), _error_text(found, lang))
    if error.status == 422:
        for control in missing:
            errors.setdefault(control, TEXTS[lang]["tickets_err_required"])
    errors.setdefault("", error.messages(lang)[""])
    return errors


@dataclass
class Draft:
    """What the new-ticket form holds: typed values, guide answers and stored files."""

    values: dict[str, str]
    answers: dict[str, str] = field(default_factory=dict)
    attachments: list[dict[str, Any]] = field(default_factory=list)

    def body(self, template: TicketTemplate | None, template_id: str) -> dict[str, Any]:
        """The API's request body for this draft."""
        v = self.values
        body: dict[str, Any] = {"title": v["title"], "description": v["description"]}
        if v["category"] in CATEGORIES:
            body["category"] = v["category"]
        if v["priority"] in PRIORITIES:
            body["priority"] = v["priority"]
        for name in ("subject_area", "subtype", "product", "asset_id", "follow_up_of"):
            if v[name]:
                body[name] = v[name]
        if is_uuid(v["contact_id"]):
            body["contact_id"] = v["contact_id"]
        if is_uuid(template_id):
            body["template_id"] = template_id
        if template is not None:
            known = {q.id for q in template.guide}
            body["guide_answers"] = {k: a for k, a in self.answers.items() if a and k in known}
        body["attachment_ids"] = [a["id"] for a in self.attachments]
        return body

    def missing(self, template: TicketTemplate | None) -> list[str]:
        """The form controls left empty that must be filled. The service checks the
        guide's answers only once the rest of the body is valid, so a missing title would
        hide them until the next round: the page names them all together."""
        fields = [] if self.values["title"] else ["title"]
        for question in template.guide if template else []:
            if question.required and not self.answers.get(question.id):
                fields.append(f"guide-{question.id}")
        return fields


def guide(template: TicketTemplate | None, lang: str) -> list[dict[str, Any]]:
    """The template's questions as form fields, labelled in the reader's language."""
    if template is None:
        return []
    return [
        {
            **q.model_dump(),
            "text": (q.label_de if lang == "de" else None) or q.label,
            "field": f"guide-{q.id}",
            "name": f"guide_{q.id}",
        }
        for q in template.guide
    ]


def grouped(templates: list[TicketTemplate]) -> list[tuple[str, list[TicketTemplate]]]:
    """The templates by group, as the choice of the first step shows them."""
    return [
        (group, [t for t in templates if t.group == group])
        for group in GROUPS
        if any(t.group == group for t in templates)
    ]
