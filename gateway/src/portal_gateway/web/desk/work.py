"""The desk's work page: its one form (what it holds, what it changes on the ticket, what
the page refuses before asking the tickets service), and the ticket's SLA clock as the
page shows it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.tickets import STATUSES, Ticket
from portal_gateway.web.desk.queue import sla_badges
from portal_gateway.web.i18n import TEXTS
from portal_gateway.web.sla_view import SlaView, sla_view


@dataclass
class WorkForm:
    """The one form of the work page: a message or note, status and assignee."""

    body: str = ""
    internal: bool = False
    status: str = ""
    current_status: str = ""
    assignee: str = ""
    current_assignee: str = ""
    attachment_ids: list[str] = field(default_factory=list)

    @classmethod
    def of_ticket(cls, ticket: Ticket) -> WorkForm:
        assignee = ticket.assignee.id if ticket.assignee else ""
        return cls(
            status=ticket.status or "",
            current_status=ticket.status or "",
            assignee=assignee,
            current_assignee=assignee,
        )

    @classmethod
    def of_form(cls, form: Any, text: Any) -> WorkForm:
        ids = [v for v in form.getlist("attachment_ids") if isinstance(v, str) and is_uuid(v)]
        return cls(
            body=text("body", 100_000),
            internal=form.get("kind") == "internal",
            status=text("status"),
            current_status=text("current_status"),
            assignee=text("assignee_id"),
            current_assignee=text("current_assignee"),
            attachment_ids=ids[:20],
        )

    def changes(self) -> dict[str, Any]:
        """The ticket fields this form changes (compared with what the page showed)."""
        changed: dict[str, Any] = {}
        if self.status and self.status != self.current_status:
            changed["status"] = self.status
        if self.assignee != self.current_assignee:
            changed["assignee_id"] = self.assignee or None
        return changed

    def problems(self, t: Mapping[str, str]) -> dict[str, str]:
        if self.status and self.status not in STATUSES:
            return {"status": t["form_has_errors"], "": t["form_has_errors"]}
        if self.assignee and not is_uuid(self.assignee):
            return {"assignee_id": t["form_has_errors"], "": t["form_has_errors"]}
        if self.attachment_ids and not self.body:
            return {"body": t["desk_body_for_files"], "": t["form_has_errors"]}
        if not self.body and not self.changes():
            return {"": t["desk_nothing_to_do"]}
        return {}


WORK_FIELDS = {
    "body": "body",
    "attachment_ids": "attachments",
    "internal": "kind-internal",
    "status": "status",
    "assignee_id": "assignee_id",
}


@dataclass(frozen=True)
class WorkSla:
    """The SLA clock on the work page: both timers with their indicators, the pause and
    the terms."""

    view: SlaView
    badges: dict[str, dict[str, Any]]

    @classmethod
    def of_ticket(cls, ticket: Ticket, lang: str, now: datetime) -> WorkSla:
        view = sla_view(ticket.sla, lang)
        return cls(view, sla_badges(view, now, TEXTS[lang]))
