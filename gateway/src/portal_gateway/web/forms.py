"""Forms of the desk and administration pages: what a posted form holds, the body the
service gets from it, and the service's messages placed next to the form's fields."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from portal_gateway.web.base import Submission
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.catalog import GuideQuestion, TicketTemplate
from portal_gateway.web.clients.identity import Organization, User
from portal_gateway.web.i18n import LANGUAGES, TEXTS, field_message

# Maps the path of an API field error ("guide", "0", "label") to a form field's id.
Locator = Callable[[list[str]], str | None]

QUESTION_TYPES = ("text", "long_text", "choice", "number", "date")
MAX_QUESTION_ROWS = 60
ROLES = ("customer", "customer_admin", "agent", "admin")
CUSTOMER_ROLES = ("customer", "customer_admin")
# E-mail domains as typed: one per line, or separated by commas, semicolons or spaces.
DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")


def first_part(fields: Mapping[str, str]) -> Locator:
    """A locator by the first part of the path: API field name -> form field id."""
    return lambda path: fields.get(path[0]) if path else None


def field_messages(
    refusal: ServiceError, lang: str, locate: Locator, *, conflict: str | None = None
) -> dict[str, str]:
    """A service's problem answer as form messages: field id -> message, and the general
    message under "". Field errors the form has no place for join the general one; a 409
    (a name taken) goes to the `conflict` field."""
    errors = refusal.errors
    if not errors:
        messages = refusal.messages(lang)
        if conflict and refusal.status == 409:
            messages[conflict] = messages[""]
        return messages
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    for error in errors:
        message = _readable(field_message(error, lang))
        target = locate(str(error.get("field", "")).split("."))
        if target:
            placed.setdefault(target, message)
        else:
            unplaced.append(message)
    general = TEXTS[lang]["form_has_errors"] if placed else ""
    placed[""] = " ".join([general, *unplaced]).strip()
    return placed


def form_status(refusal: ServiceError) -> int:
    """The status of a re-rendered form: the service's 4xx, or 503 when it failed."""
    return refusal.status if 400 <= refusal.status < 500 else 503


def _readable(message: str) -> str:
    # Pydantic prefixes the messages of custom checks with their kind.
    return message.removeprefix("Value error, ")


def checked(form: Any, name: str) -> bool:
    return form.get(name) in ("1", "on", "true")


@dataclass
class OrganizationForm:
    name: str = ""
    priority_contract: bool = False
    org_wide_visibility: bool = True
    sla_contract: str = ""
    active: bool = True
    internal_review: bool = False
    email_domains: str = ""  # as typed; `domains()` as sent

    @classmethod
    def of(cls, organization: Organization) -> OrganizationForm:
        return cls(
            name=organization.name,
            priority_contract=organization.priority_contract,
            org_wide_visibility=organization.org_wide_visibility,
            sla_contract=organization.sla_contract or "",
            active=organization.active,
            internal_review=organization.internal_review,
            email_domains="\n".join(organization.email_domains),
        )

    @classmethod
    def posted(cls, submission: Submission) -> OrganizationForm:
        form = submission.form
        return cls(
            name=submission.text("name", 300),
            priority_contract=checked(form, "priority_contract"),
            org_wide_visibility=checked(form, "org_wide_visibility"),
            sla_contract=submission.text("sla_contract", 200),
            active=checked(form, "active"),
            internal_review=checked(form, "internal_review"),
            email_domains=submission.text("email_domains", 20_000),
        )

    def domains(self) -> list[str]:
        """The e-mail domains typed, each once, in the order typed."""
        found = (d.lower() for d in DOMAIN_SEPARATORS.split(self.email_domains) if d)
        return list(dict.fromkeys(found))

    def body(self, *, editing: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "priority_contract": self.priority_contract,
            "org_wide_visibility": self.org_wide_visibility,
            "sla_contract": self.sla_contract or None,
            "internal_review": self.internal_review,
            "email_domains": self.domains(),
        }
        if editing:
            body["active"] = self.active
        return body


@dataclass
class UserForm:
    username: str = ""
    email: str = ""
    display_name: str = ""
    organization_id: str = ""
    roles: list[str] = field(default_factory=lambda: ["customer"])
    language: str = "en"
    # Reviews the organization's tickets before the service desk sees them (customers).
    reviewer: bool = False
    # Never shown again: a refused form asks for the password anew.
    password: str = field(default="", repr=False)

    @classmethod
    def of(cls, user: User) -> UserForm:
        organization = user.organization.id if user.organization else None
        return cls(
            username=user.username,
            email=user.email or "",
            display_name=user.display_name or "",
            organization_id=str(organization or user.organization_id or ""),
            roles=list(user.roles),
            language=user.language or "en",
            reviewer="review" in user.permissions,
        )

    @classmethod
    def posted(cls, submission: Submission) -> UserForm:
        roles = [r for r in submission.form.getlist("roles") if r in ROLES]
        language = submission.text("language")
        return cls(
            username=submission.text("username", 100),
            email=submission.text("email", 400),
            display_name=submission.text("display_name", 300),
            organization_id=submission.text("organization_id", 100),
            roles=roles,
            language=language if language in LANGUAGES else "en",
            reviewer=checked(submission.form, "review"),
            password=str(submission.form.get("password") or "")[:1024],
        )

    @property
    def permissions(self) -> list[str]:
        return ["review"] if self.reviewer else []

    def body(self, *, own_organization: str | None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "username": self.username,
            "email": self.email,
            "roles": self.roles,
            "permissions": self.permissions,
            "language": self.language,
            # A customer admin adds people to their own organization, whatever was posted.
            "organization_id": own_organization or self.organization_id or None,
        }
        if self.display_name:
            body["display_name"] = self.display_name
        if self.password:
            body["password"] = self.password
        return body

    def changes(self) -> dict[str, Any]:
        """What an admin may change of an existing account (name and organization stay)."""
        changes: dict[str, Any] = {
            "email": self.email,
            "roles": self.roles,
            "permissions": self.permissions,
            "language": self.language,
        }
        if self.display_name:  # left empty: keep the name it has
            changes["display_name"] = self.display_name
        return changes


@dataclass
class AccessRequestForm:
    username: str = ""
    email: str = ""
    display_name: str = ""
    language: str = "en"
    role: str = "customer"
    note: str = ""

    @classmethod
    def posted(cls, submission: Submission) -> AccessRequestForm:
        language, role = submission.text("language"), submission.text("role")
        return cls(
            username=submission.text("username", 100),
            email=submission.text("email", 400),
            display_name=submission.text("display_name", 300),
            language=language if language in LANGUAGES else "en",
            role=role if role in CUSTOMER_ROLES else "customer",
            note=submission.text("note", 2000),
        )

    def body(self) -> dict[str, Any]:
        body = {
            "username": self.username,
            "email": self.email,
            "language": self.language,
            "role": self.role,
            "note": self.note,
        }
        if self.display_name:
            body["display_name"] = self.display_name
        return body


@dataclass
class QuestionRow:
    """One row of the guide editor; `index` numbers the row's fields (q3_label, ...)."""

    index: int
    id: str = ""
    label: str = ""
    label_de: str = ""
    type: str = "text"
    required: bool = False
    choices: str = ""

    @classmethod
    def of(cls, index: int, question: GuideQuestion) -> QuestionRow:
        return cls(
            index=index,
            id=question.id,
            label=question.label,
            label_de=question.label_de or "",
            type=question.type,
            required=question.required,
            choices="\n".join(question.choices),
        )

    @property
    def empty(self) -> bool:
        return not (self.label or self.label_de or self.choices.strip())

    def question(self, question_id: str) -> dict[str, Any]:
        return {
            "id": question_id,
            "label": self.label,
            "label_de": self.label_de or None,
            "type": self.type,
            "required": self.required,
            "choices": [c.strip() for c in self.choices.splitlines() if c.strip()],
        }


def question_id(label: str, taken: set[str]) -> str:
    """A stable key for a new question, made from its label (answers are stored by it)."""
    ascii_label = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "_", ascii_label.lower()).strip("_")[:40]
    if not base[:1].isalpha():
        base = f"q_{base}".rstrip("_")
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


TEMPLATE_FIELDS = ("guide", "name", "name_de", "group", "category", "description", "description_de")


@dataclass
class TemplateForm:
    name: str = ""
    group: str = "incident_report"
    category: str = ""
    description: str = ""
    name_de: str = ""
    description_de: str = ""
    active: bool = True
    rows: list[QuestionRow] = field(default_factory=list)

    @classmethod
    def of(cls, template: TicketTemplate) -> TemplateForm:
        return cls(
            name=template.name,
            group=template.group,
            category=template.category,
            description=template.description or "",
            name_de=template.name_de or "",
            description_de=template.description_de or "",
            active=template.active,
            rows=[QuestionRow.of(i, q) for i, q in enumerate(template.guide)],
        )

    @classmethod
    def posted(cls, submission: Submission) -> TemplateForm:
        text = submission.text
        indices = sorted(
            {int(m.group(1)) for k in submission.form if (m := re.fullmatch(r"q(\d{1,3})_\w+", k))}
        )[:MAX_QUESTION_ROWS]
        rows = [
            QuestionRow(
                index=i,
                id=text(f"q{i}_id", 60),
                label=text(f"q{i}_label", 400),
                label_de=text(f"q{i}_label_de", 400),
                type=text(f"q{i}_type") if text(f"q{i}_type") in QUESTION_TYPES else "text",
                required=checked(submission.form, f"q{i}_required"),
                choices=text(f"q{i}_choices", 10_000),
            )
            for i in indices
        ]
        return cls(
            name=text("name", 300),
            group=text("group"),
            category=text("category"),
            description=text("description", 6000),
            name_de=text("name_de", 300),
            description_de=text("description_de", 6000),
            active=checked(submission.form, "active"),
            rows=[r for r in rows if not r.empty],
        )

    def guide(self) -> list[dict[str, Any]]:
        # New questions get their key when saved; a refused form keeps them keyless, so
        # that a corrected label still names the question.
        taken = {r.id for r in self.rows if r.id}
        questions = []
        for row in self.rows:
            key = row.id or question_id(row.label or row.label_de, taken)
            taken.add(key)
            questions.append(row.question(key))
        return questions

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "group": self.group,
            "description": self.description,
            "name_de": self.name_de,
            "description_de": self.description_de,
            "active": self.active,
            "guide": self.guide(),
        }
        if self.category:
            body["category"] = self.category
        return body

    def locate(self, path: list[str]) -> str | None:
        """Where an API message about this template belongs in the editor."""
        if not path or path[0] not in TEMPLATE_FIELDS:
            return None
        if path[0] != "guide":
            return path[0]
        if len(path) < 2 or not path[1].isdigit() or int(path[1]) >= len(self.rows):
            return None
        row = self.rows[int(path[1])]
        part = path[2] if len(path) > 2 else "choices"  # a check of the whole question
        part = part if part in ("label", "label_de", "type", "choices") else "label"
        return f"q{row.index}_{part}"

    def with_blank_rows(self, blank: int) -> list[QuestionRow]:
        """The rows to show: the filled ones (keeping their numbers, which the messages
        refer to) and `blank` empty ones to fill in without script."""
        start = self.next_index()
        return [*self.rows, *(QuestionRow(index=start + n) for n in range(blank))]

    def next_index(self) -> int:
        return max((r.index for r in self.rows), default=-1) + 1
