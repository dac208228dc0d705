"""The new-ticket form: its fields, what a posted form holds (a draft), the body the
tickets service gets from it, the template's conversation guide as form fields, and the
service's refusal as messages placed next to the fields."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.assets import Asset, AssetsClient, Terms
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.catalog import GROUPS, TicketTemplate
from portal_gateway.web.clients.tickets import CATEGORIES, PRIORITIES
from portal_gateway.web.i18n import TEXTS, field_message

MAX_ATTACHMENTS = 4
# How many of the organization's installations the form offers before one is searched.
OFFERED = 25

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
    "hand_over",  # "1": a reviewer sends the ticket to the service desk at once
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
        if v.get("hand_over") == "1":
            body["hand_over"] = True
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


@dataclass
class Installation:
    """The installation the form's asset field names (if found), the organization's
    installations offered for it, and the service levels a ticket gets now: the terms
    in force and their targets per priority, as the page says them."""

    asset: Asset | None = None
    offered: list[Asset] = field(default_factory=list)
    terms: Terms | None = None
    targets: list[dict[str, str]] = field(default_factory=list)

    @property
    def reactions(self) -> dict[str, str]:
        """The first-reaction target per priority as the page says it; empty when the
        terms are not known (the page then names no times rather than guessing)."""
        return {row["priority"]: row["reaction"] for row in self.targets}


async def installation(client: AssetsClient, values: dict[str, str], lang: str) -> Installation:
    """What the form shows about its installation and service levels; a service that
    does not answer leaves that part out (the form still works without it)."""
    reference = values.get("asset_id", "")
    offered = await settle(client.assets(statuses=("active", "inactive"), limit=OFFERED))
    found = await _named_asset(client, reference) if reference else None
    terms = await settle(
        client.terms(
            organization_id=found.organization_id if found else None,
            product=values.get("product") or (found.product if found else None),
            asset_id=found.id if found else None,
        )
    )
    if isinstance(terms, ServiceError):
        return Installation(found, [] if isinstance(offered, ServiceError) else offered.items)
    targets = [
        {
            "priority": p,
            "reaction": business_hours(terms.targets[p].reaction_hours, lang),
            "resolution": business_hours(terms.targets[p].resolution_hours, lang),
        }
        for p in PRIORITIES
        if p in terms.targets
    ]
    items = [] if isinstance(offered, ServiceError) else offered.items
    return Installation(found, items, terms, targets)


async def _named_asset(client: AssetsClient, reference: str) -> Asset | None:
    """The asset a reference names: its id, or its serial number (the viewer's
    organization's, for a customer)."""
    if is_uuid(reference):
        by_id = await settle(client.asset(reference))
        if not isinstance(by_id, ServiceError):
            return by_id
    page = await settle(client.assets(text=reference, limit=OFFERED))
    if isinstance(page, ServiceError):
        return None
    folded = reference.casefold()
    return next((a for a in page.items if a.serial_number.casefold() == folded), None)


def business_hours(hours: float, lang: str) -> str:
    """A target in business hours as the reader says it ("4 business hours",
    "1,5 Geschäftsstunden")."""
    number = str(int(hours)) if hours == int(hours) else f"{hours:.1f}"
    if lang == "de":
        number = number.replace(".", ",")
    key = "tickets_target_hours_one" if hours == 1 else "tickets_target_hours_other"
    return TEXTS[lang][key].format(n=number)
