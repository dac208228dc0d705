"""The agent desk: the queue of open tickets with SLA indicators and row actions, and a
compact page to work one ticket (conversation with internal notes, reply or note, status
and assignee in one form)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.forms import field_messages, first_part, form_status
from portal_gateway.web.i18n import TEXTS, language

STATUSES = (
    "new",
    "open",
    "waiting_internal",
    "waiting_customer",
    "postponed",
    "resolved",
    "closed",
    "cancelled",
)
PORTAL_STATUSES = ("in_progress", "answer_expected", "closed", "postponed")
PRIORITIES = ("P1", "P2", "P3", "P4")
TABS = ("unassigned", "mine", "open")
SORTS = {"sla": "sla", "newest": "-created", "oldest": "created", "priority": "priority"}
DONE_MESSAGES = {"assigned": "desk_done_assigned", "status": "desk_done_status"}
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
MAX_ATTACHMENT_LOOKUPS = 40


@dataclass(frozen=True)
class QueueFilters:
    """What the queue shows, read from the query string (unknown values fall back)."""

    tab: str = "unassigned"
    organization: str = ""
    priority: str = ""
    status: str = ""
    breached: bool = False
    sort: str = "sla"
    cursor: str = ""

    @classmethod
    def of(cls, query: Mapping[str, str]) -> QueueFilters:
        def pick(name: str, allowed: Any, default: str = "") -> str:
            value = query.get(name, "")
            return value if value in allowed else default

        organization = query.get("organization", "")
        return cls(
            tab=pick("tab", TABS, "unassigned"),
            organization=organization if is_uuid(organization) else "",
            priority=pick("priority", PRIORITIES),
            status=pick("status", STATUSES + PORTAL_STATUSES),
            breached=query.get("sla") == "breached",
            sort=pick("sort", SORTS, "sla"),
            cursor=query.get("cursor", "")[:200],
        )

    def api_params(self) -> dict[str, str]:
        params = {"sort": SORTS[self.sort], "limit": "50"}
        if self.tab == "mine":
            params["scope"] = "mine"
        elif self.tab == "unassigned":
            params["assignee"] = "none"
        # A chosen status may be a closed one; otherwise the queue is open work only.
        if self.status:
            params["status"] = self.status
        else:
            params["state"] = "open"
        if self.organization:
            params["organization_id"] = self.organization
        if self.priority:
            params["priority"] = self.priority
        if self.breached:
            params["sla"] = "breached"
        if self.cursor:
            params["cursor"] = self.cursor
        return params

    def query(self, **changes: Any) -> str:
        """The query string of this view (without the cursor unless given)."""
        chosen = replace(self, **{"cursor": "", **changes})
        pairs = {
            "tab": chosen.tab,
            "organization": chosen.organization,
            "priority": chosen.priority,
            "status": chosen.status,
            "sla": "breached" if chosen.breached else "",
            "sort": chosen.sort if chosen.sort != "sla" else "",
            "cursor": chosen.cursor,
        }
        return urlencode({k: v for k, v in pairs.items() if v})


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def duration(seconds: float, t: Mapping[str, str]) -> str:
    """A short span of time: "2 d 3 h", "4 h 10 min", "12 min"."""
    minutes = max(0, int(seconds // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [t["desk_days"].format(n=days)]
        if hours:
            parts.append(t["desk_hours"].format(n=hours))
    elif hours:
        parts = [t["desk_hours"].format(n=hours)]
        if mins:
            parts.append(t["desk_minutes"].format(n=mins))
    else:
        parts = [t["desk_minutes"].format(n=mins)]
    return " ".join(parts)


def sla_badge(sla: Mapping[str, Any] | None, now: datetime, t: Mapping[str, str]) -> dict:
    """The SLA indicator of a ticket: a state for the colour and a text that says it too."""
    state = (sla or {}).get("state")
    due = parse_time((sla or {}).get("due_at"))
    if state is None or due is None:
        return {"state": "none", "text": t["desk_sla_none"], "due_at": None}
    left = (due - now).total_seconds()
    if state in ("ok", "at_risk"):
        text = t["desk_sla_left"].format(time=duration(left, t))
    elif state == "breached":
        text = t["desk_sla_breached_since"].format(time=duration(-left, t))
    else:
        text = t.get(f"desk_sla_{state}", state)
    return {"state": state, "text": text, "due_at": sla.get("due_at") if sla else None}


def queue_rows(items: list[dict], t: Mapping[str, str]) -> list[dict]:
    now = datetime.now(UTC)
    rows = []
    for ticket in items:
        created = parse_time(ticket.get("created_at")) or now
        rows.append(
            {
                "ticket": ticket,
                "sla": sla_badge(ticket.get("sla"), now, t),
                "age": duration((now - created).total_seconds(), t),
            }
        )
    return rows


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
    def of_ticket(cls, ticket: Mapping[str, Any]) -> WorkForm:
        assignee = (ticket.get("assignee") or {}).get("id") or ""
        return cls(
            status=ticket.get("status") or "",
            current_status=ticket.get("status") or "",
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


def desk_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def refused(request: Request, viewer: Viewer) -> Response | None:
        """Desk pages are for the service desk; for everybody else they do not exist."""
        if viewer.actor is None:
            return sign_in_first(request)
        if not viewer.is_staff:
            return web.render(request, "desk/missing.html", 404, viewer=viewer, missing="page")
        return None

    async def queue_page(
        request: Request,
        viewer: Viewer,
        filters: QueueFilters,
        *,
        alert: str | None = None,
        notice: str | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        tickets, orgs = await asyncio.gather(
            web.api(viewer, "tickets", "GET", "/api/v1/tickets", params=filters.api_params()),
            web.api(
                viewer, "identity", "GET", "/api/v1/admin/organizations", params={"limit": 200}
            ),
        )
        t = TEXTS[language(request)]
        page = tickets.json() if tickets.status_code == 200 else {"items": []}
        if tickets.status_code == 422 and filters.cursor:
            # A stale cursor (the sort changed): start again from the top.
            return await queue_page(request, viewer, replace(filters, cursor=""))
        return web.render(
            request,
            "desk/queue.html",
            status,
            viewer=viewer,
            filters=filters,
            rows=queue_rows(page["items"], t),
            next_cursor=page.get("next_cursor"),
            organizations=orgs.json()["items"] if orgs.status_code == 200 else [],
            statuses=STATUSES,
            portal_statuses=PORTAL_STATUSES,
            priorities=PRIORITIES,
            failed=tickets.status_code != 200,
            alert=alert,
            notice=notice,
        )

    def done_notice(request: Request) -> str | None:
        key = DONE_MESSAGES.get(request.query_params.get("done", ""))
        number = request.query_params.get("ticket", "")
        if key is None or not NUMBER.match(number):
            return None
        return TEXTS[language(request)][key].format(number=number)

    @router.get("/desk")
    async def queue(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        filters = QueueFilters.of(request.query_params)
        return await queue_page(request, viewer, filters, notice=done_notice(request))

    async def row_action(
        request: Request, number: str, change: Callable[[Submission], dict[str, Any]], done: str
    ) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        back = QueueFilters.of(dict(parse_qsl(submission.text("back", 1000))))
        lang = language(request)
        if not submission.csrf_ok:
            return await queue_page(
                request, viewer, back, alert=TEXTS[lang]["session_expired"], status=403
            )
        path = f"/api/v1/tickets/{quote(number, safe='')}"
        answer = await web.api(viewer, "tickets", "PATCH", path, json=change(submission))
        if answer.status_code != 200:
            message = field_messages(answer, lang, lambda _path: None)[""]
            return await queue_page(
                request, viewer, back, alert=message, status=form_status(answer)
            )
        done_query = urlencode({"done": done, "ticket": number})
        target = f"/desk?{back.query()}&{done_query}" if back.query() else f"/desk?{done_query}"
        return web.redirect(request, viewer, target)

    @router.post("/desk/{number}/assign")
    async def assign_to_me(request: Request, number: str) -> Response:
        def me(submission: Submission) -> dict[str, Any]:
            actor = submission.viewer.actor
            return {"assignee_id": str(actor.id) if actor else None}

        return await row_action(request, number, me, "assigned")

    @router.post("/desk/{number}/status")
    async def quick_status(request: Request, number: str) -> Response:
        def chosen(submission: Submission) -> dict[str, Any]:
            # An unknown value goes to the service as is, which refuses it with a message.
            return {"status": submission.text("status", 32)}

        return await row_action(request, number, chosen, "status")

    async def work_page(
        request: Request,
        viewer: Viewer,
        number: str,
        form: WorkForm | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        path = f"/api/v1/tickets/{quote(number, safe='')}"
        ticket, articles, agents = await asyncio.gather(
            web.api(viewer, "tickets", "GET", path),
            web.api(viewer, "tickets", "GET", f"{path}/articles"),
            web.api(
                viewer,
                "identity",
                "GET",
                "/api/v1/admin/users",
                params={"role": ["agent", "admin"], "limit": 200},
            ),
        )
        if ticket.status_code != 200:
            code = 404 if ticket.status_code in (404, 422) else 503
            return web.render(request, "desk/missing.html", code, viewer=viewer, missing="ticket")
        shown = ticket.json()
        items = articles.json()["items"] if articles.status_code == 200 else []
        t = TEXTS[language(request)]
        return web.render(
            request,
            "desk/work.html",
            status,
            viewer=viewer,
            ticket=shown,
            sla=sla_badge(shown.get("sla"), datetime.now(UTC), t),
            articles=items,
            files=await file_names(viewer, items),
            agents=[a for a in agents.json()["items"] if a["active"]]
            if agents.status_code == 200
            else [],
            statuses=STATUSES,
            form=form or WorkForm.of_ticket(shown),
            errors=errors or {},
            saved=request.query_params.get("done") == "saved",
        )

    async def file_names(viewer: Viewer, articles: list[dict]) -> dict[str, str]:
        ids = list(dict.fromkeys(i for a in articles for i in a.get("attachment_ids", [])))
        ids = ids[:MAX_ATTACHMENT_LOOKUPS]
        answers = await asyncio.gather(
            *(web.api(viewer, "files", "GET", f"/api/v1/files/{i}") for i in ids)
        )
        return {
            i: a.json().get("name", "")
            for i, a in zip(ids, answers, strict=True)
            if a.status_code == 200
        }

    @router.get("/desk/{number}")
    async def work(request: Request, number: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        return await work_page(request, viewer, number)

    @router.post("/desk/{number}")
    async def save_work(request: Request, number: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        lang = language(request)
        t = TEXTS[lang]
        form = WorkForm.of_form(submission.form, submission.text)
        if not submission.csrf_ok:
            return await work_page(request, viewer, number, form, {"": t["session_expired"]}, 403)
        if errors := form.problems(t):
            return await work_page(request, viewer, number, form, errors, 422)
        path = f"/api/v1/tickets/{quote(number, safe='')}"
        locate = first_part(WORK_FIELDS)
        if changes := form.changes():
            answer = await web.api(viewer, "tickets", "PATCH", path, json=changes)
            if answer.status_code != 200:
                errors = field_messages(answer, lang, locate)
                return await work_page(request, viewer, number, form, errors, form_status(answer))
        if form.body:
            article = {
                "body": form.body,
                "internal": form.internal,
                "attachment_ids": form.attachment_ids,
            }
            answer = await web.api(viewer, "tickets", "POST", f"{path}/articles", json=article)
            if answer.status_code != 201:
                errors = field_messages(answer, lang, locate)
                return await work_page(request, viewer, number, form, errors, form_status(answer))
        target = f"/desk/{quote(number, safe='')}?done=saved#conversation"
        return web.redirect(request, viewer, target)

    return router
