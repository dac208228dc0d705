"""The forms of the agent group, routing rule and text module pages: what a posted form
holds, the body the tickets service gets from it, the question asked before deleting,
and the service's refusals as sentences in the reader's language, next to the field
they are about.

The service names each refusal by a stable code (`name_taken`, `unknown_agent`,
`no_condition`, `unknown_placeholder`, ...); the pages word them here, in German and
English, instead of showing the service's English."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Submission, Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.desk import CONDITIONS, AgentGroup, RoutingRule, TextModule
from portal_gateway.web.forms import Locator, checked, field_messages
from portal_gateway.web.i18n import TEXTS, field_message, language

NOTICES = {
    "group_created": "groups_done_created",
    "group_saved": "groups_done_saved",
    "group_deleted": "groups_done_deleted",
    "rule_created": "routing_done_created",
    "rule_saved": "routing_done_saved",
    "rule_deleted": "routing_done_deleted",
    "rule_moved": "routing_done_moved",
    "module_created": "modules_done_created",
    "module_saved": "modules_done_saved",
    "module_deleted": "modules_done_deleted",
}
MODULE_LANGUAGES = ("de", "en")
# The last position a member may be given; beyond it the typed number counts as "last".
LAST = 10_000

# (field or "", code) -> (English, German); "" matches the code in any field.
Words = dict[tuple[str, str], tuple[str, str]]

GROUP_WORDS: Words = {
    ("name", "name_taken"): (
        "Another agent group has this name.",
        "Eine andere Agentengruppe hat schon diesen Namen.",
    ),
    ("lead_id", "unknown_agent"): (
        "Choose an active agent or administrator as the lead.",
        "Bitte einen aktiven Agenten oder Administrator als Leitung wählen.",
    ),
    ("member_ids", "unknown_agent"): (
        "Only active agents and administrators can become members.",
        "Mitglied werden können nur aktive Agenten und Administratoren.",
    ),
}
RULE_WORDS: Words = {
    ("", "no_condition"): (
        "Name at least one condition: subject area, category, organization or product.",
        "Bitte mindestens eine Bedingung angeben: Themenbereich, Kategorie, Organisation "
        "oder Produkt.",
    ),
    ("", "unknown_group"): (
        "Choose one of the agent groups.",
        "Bitte eine der Agentengruppen wählen.",
    ),
    ("", "unknown_organization"): (
        "Choose one of the organizations.",
        "Bitte eine der Organisationen wählen.",
    ),
    ("", "order_mismatch"): (
        "The rules were changed meanwhile; this is their order now. Move the rule again.",
        "Die Regeln wurden inzwischen geändert; das ist ihre Reihenfolge jetzt. Bitte die "
        "Regel noch einmal verschieben.",
    ),
}
MODULE_WORDS: Words = {
    ("name", "name_taken"): (
        "There is a text module of this name in this language already.",
        "Einen Textbaustein mit diesem Namen gibt es in dieser Sprache schon.",
    ),
}

UNKNOWN_PLACEHOLDER = re.compile(r"^Unknown placeholder (\{\{.*?\}\});")
SYNTAX = re.compile(r"^Line (\d+): (.*)$", re.DOTALL)
NOT_ALLOWED = re.compile(r"^(.*) is not allowed in a text module: .*$", re.DOTALL)
# What the service names as not allowed, in German (others keep the service's words).
NOT_ALLOWED_DE = {
    "A {% for %} loop": "Eine {% for %}-Schleife",
    "{% set %}": "{% set %}",
    "A macro": "Ein Makro",
    "A call": "Ein Aufruf",
    "A test (is ...)": "Ein Test (is ...)",
    "Arithmetic": "Rechnen",
    "An attribute of something other than a placeholder": (
        "Ein Feld von etwas anderem als einem Platzhalter"
    ),
}
FILTER = re.compile(r"^The filter (\S+)( with these arguments)?$")


def notice(request: Request) -> str | None:
    """The message after a finished action on these pages (`?done=`)."""
    key = NOTICES.get(request.query_params.get("done", ""))
    if key is None:
        return None
    subject = request.query_params.get("subject", "")
    subject = subject if kit.SUBJECT.match(subject) else ""
    return TEXTS[language(request)][key].format(subject=subject)


@dataclass(frozen=True)
class Deletion:
    """The question before deleting: `heading` asks, `question` and `consequence` say
    what follows, `action` deletes, `back` keeps it; `section` marks the navigation."""

    section: str
    heading: str
    question: str
    action: str
    back: str
    consequence: str = ""


def deletion_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    deletion: Deletion,
    *,
    alert: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """Asks before deleting (again, with `alert`, when the answer could not be taken)."""
    return web.render(
        request, "admin/desk_delete.html", status, viewer=viewer, alert=alert, **vars(deletion)
    )


def _worded(words: Words, error: dict[str, Any], lang: str) -> str | None:
    """The sentence for a field error by its code, if these pages word it."""
    code = str(error.get("code", ""))
    place = str(error.get("field", "")).split(".")[0]
    found = words.get((place, code)) or words.get(("", code))
    if found is not None:
        return found[1 if lang == "de" else 0]
    return _body_wording(code, str(error.get("message", "")), lang)


def _body_wording(code: str, message: str, lang: str) -> str | None:
    """A text module's body refused: the service's message, reworded with what it
    names (a placeholder, a line, a construct)."""
    words = TEXTS[lang]
    if code == "unknown_placeholder" and (found := UNKNOWN_PLACEHOLDER.match(message)):
        return words["modules_error_placeholder"].format(name=found.group(1))
    if code == "template_syntax" and (found := SYNTAX.match(message)):
        detail = found.group(2).strip().rstrip(".")
        return words["modules_error_syntax"].format(line=found.group(1), detail=detail)
    if code == "unsupported_expression" and (found := NOT_ALLOWED.match(message)):
        return words["modules_error_not_allowed"].format(what=_construct(found.group(1), lang))
    if code == "template_error":
        return words["modules_error_render"].format(detail=message)
    return None


def _construct(what: str, lang: str) -> str:
    if lang != "de":
        return what
    if found := FILTER.match(what):
        return f"Der Filter {found.group(1)}" + (" mit diesen Argumenten" if found.group(2) else "")
    return NOT_ALLOWED_DE.get(what, what)


def messages(refusal: ServiceError, lang: str, locate: Locator, words: Words) -> dict[str, str]:
    """The service's refusal as form messages (field id -> sentence, the general one
    under ""), worded by code where these pages know it."""
    if not refusal.errors:
        return field_messages(refusal, lang, locate, conflict="name")
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    for error in refusal.errors:
        sentence = _worded(words, error, lang) or field_message(error, lang)
        target = locate(str(error.get("field", "")).split("."))
        if target:
            placed.setdefault(target, sentence)
        elif sentence not in unplaced:
            unplaced.append(sentence)
    general = TEXTS[lang]["form_has_errors"] if placed else ""
    placed[""] = " ".join([general, *unplaced]).strip()
    return placed


def _fields(*names: str) -> Locator:
    """A locator: the first part of the API's field path, when the form has it."""
    return lambda path: path[0] if path and path[0] in names else None


# -- agent groups ------------------------------------------------------------------------


def _position(text: str, fallback: int) -> int:
    try:
        value = int(text)
    except ValueError:
        return LAST + fallback
    return max(1, min(value, LAST))


@dataclass
class GroupForm:
    name: str = ""
    lead_id: str = ""
    round_robin: bool = False
    # The members chosen, and the position typed for each (by user id).
    members: list[str] = field(default_factory=list)
    positions: dict[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, group: AgentGroup) -> GroupForm:
        members = [m.id for m in group.members]
        return cls(
            name=group.name,
            lead_id=group.lead.id if group.lead else "",
            round_robin=group.round_robin,
            members=members,
            positions={m: str(i) for i, m in enumerate(members, start=1)},
        )

    @classmethod
    def posted(cls, submission: Submission, known: set[str]) -> GroupForm:
        """The form as posted; only the people offered (`known`) can be chosen."""
        chosen = [str(m) for m in submission.form.getlist("members") if m in known]
        return cls(
            name=submission.text("name", 200),
            lead_id=submission.text("lead_id", 100),
            round_robin=checked(submission.form, "round_robin"),
            members=list(dict.fromkeys(chosen)),
            positions={m: submission.text(f"position-{m}", 10) for m in known},
        )

    def ordered(self) -> list[str]:
        """The members in round-robin order: by the position typed, the ones without one
        last, in the order they were listed."""
        indexed = enumerate(self.members)
        ranked = sorted(
            indexed, key=lambda p: (_position(self.positions.get(p[1], ""), p[0]), p[0])
        )
        return [member for _, member in ranked]

    def body(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "lead_id": self.lead_id or None,
            "member_ids": self.ordered(),
            "round_robin": self.round_robin,
        }

    @staticmethod
    def locate(path: list[str]) -> str | None:
        if path and path[0] == "member_ids":
            return "members"
        return _fields("name", "lead_id", "round_robin")(path)


def group_messages(refusal: ServiceError, lang: str) -> dict[str, str]:
    return messages(refusal, lang, GroupForm.locate, GROUP_WORDS)


# -- routing rules -----------------------------------------------------------------------


@dataclass
class RuleForm:
    group_id: str = ""
    subject_area: str = ""
    category: str = ""
    organization_id: str = ""
    product: str = ""

    @classmethod
    def of(cls, rule: RoutingRule) -> RuleForm:
        return cls(
            group_id=rule.group.id,
            subject_area=rule.subject_area or "",
            category=rule.category or "",
            organization_id=rule.organization.id if rule.organization else "",
            product=rule.product or "",
        )

    @classmethod
    def posted(cls, submission: Submission) -> RuleForm:
        text = submission.text
        return cls(
            group_id=text("group_id", 100),
            subject_area=text("subject_area", 200),
            category=text("category", 50),
            organization_id=text("organization_id", 100),
            product=text("product", 400),
        )

    def body(self, *, editing: bool) -> dict[str, Any]:
        """A new rule names only its conditions; a changed one also clears the others
        (`null` removes a condition)."""
        conditions = {name: getattr(self, name) or None for name in CONDITIONS}
        if not editing:
            conditions = {k: v for k, v in conditions.items() if v is not None}
        return {"group_id": self.group_id or None, **conditions}

    @staticmethod
    def locate(path: list[str]) -> str | None:
        return _fields("group_id", "conditions", *CONDITIONS)(path)


def rule_messages(refusal: ServiceError, lang: str) -> dict[str, str]:
    return messages(refusal, lang, RuleForm.locate, RULE_WORDS)


def order_message(refusal: ServiceError, lang: str) -> str:
    """Moving a rule refused: one sentence for the list."""
    found = messages(refusal, lang, lambda _path: None, RULE_WORDS)
    return found.get("") or refusal.message(lang)


# -- text modules ------------------------------------------------------------------------


@dataclass
class TextModuleForm:
    name: str = ""
    language: str = "de"
    body: str = ""
    keywords: str = ""
    set_status: str = ""
    set_priority: str = ""

    @classmethod
    def of(cls, module: TextModule) -> TextModuleForm:
        return cls(
            name=module.name,
            language=module.language,
            body=module.body,
            keywords=module.keywords,
            set_status=module.set_status or "",
            set_priority=module.set_priority or "",
        )

    @classmethod
    def posted(cls, submission: Submission) -> TextModuleForm:
        text = submission.text
        raw = submission.form.get("body")
        # The body stays as written (indented first line, a closing line break).
        body = raw.replace("\r\n", "\n")[:20_000] if isinstance(raw, str) else ""
        return cls(
            name=text("name", 200),
            language=text("language", 5),
            body=body,
            keywords=text("keywords", 400),
            set_status=text("set_status", 50),
            set_priority=text("set_priority", 5),
        )

    def payload(self) -> dict[str, Any]:
        """The body the service gets, to create or to change a module (empty choices
        clear what inserting it sets)."""
        return {
            "name": self.name,
            "language": self.language or None,
            "body": self.body,
            "keywords": self.keywords,
            "set_status": self.set_status or None,
            "set_priority": self.set_priority or None,
        }

    @staticmethod
    def locate(path: list[str]) -> str | None:
        return _fields("name", "language", "body", "keywords", "set_status", "set_priority")(path)


def module_messages(refusal: ServiceError, lang: str) -> dict[str, str]:
    return messages(refusal, lang, TextModuleForm.locate, MODULE_WORDS)
