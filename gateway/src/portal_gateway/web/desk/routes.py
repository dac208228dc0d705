"""The agent desk: the queue of open tickets with SLA indicators and row actions, and a
compact page to work one ticket (conversation with internal notes, reply or note, status
and assignee in one form)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.files import FilesClient
from portal_gateway.web.clients.identity import IdentityClient, User
from portal_gateway.web.clients.tickets import (
    PORTAL_STATUSES,
    PRIORITIES,
    STATUSES,
    Article,
    TicketPage,
    TicketsClient,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.desk.queue import QueueFilters, queue_rows
from portal_gateway.web.desk.work import WORK_FIELDS, WorkForm, WorkSla
from portal_gateway.web.forms import field_messages, first_part, form_status
from portal_gateway.web.i18n import TEXTS, language

DONE_MESSAGES = {"assigned": "desk_done_assigned", "status": "desk_done_status"}
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")
MAX_ATTACHMENT_LOOKUPS = 40
MAX_CHOICES = 200

router = APIRouter(include_in_schema=False)


def refused(request: Request, web: Web, viewer: Viewer) -> Response | None:
    """Desk pages are for the service desk; for everybody else they do not exist."""
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_staff:
        return web.render(request, "desk/missing.html", 404, viewer=viewer, missing="page")
    return None


# --- The queue -----------------------------------------------------------------------


@router.get("/desk")
async def queue(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    filters = QueueFilters.of(request.query_params)
    return await queue_page(request, web, viewer, filters, notice=done_notice(request))


@router.post("/desk/{number}/assign")
async def assign_to_me(request: Request, number: str, web: WebDep) -> Response:
    def me(submission: Submission) -> dict[str, Any]:
        actor = submission.viewer.actor
        return {"assignee_id": str(actor.id) if actor else None}

    return await row_action(request, web, number, me, "assigned")


@router.post("/desk/{number}/status")
async def quick_status(request: Request, number: str, web: WebDep) -> Response:
    def chosen(submission: Submission) -> dict[str, Any]:
        # An unknown value goes to the service as is, which refuses it with a message.
        return {"status": submission.text("status", 32)}

    return await row_action(request, web, number, chosen, "status")


async def queue_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    filters: QueueFilters,
    *,
    alert: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    page, organizations = await asyncio.gather(
        settle(web.client(TicketsClient, viewer).tickets(filters.api_params())),
        settle(web.client(IdentityClient, viewer).organizations(limit=MAX_CHOICES)),
    )
    if isinstance(page, ServiceError):
        if page.status == 422 and filters.cursor:
            # A stale cursor (the sort changed): start again from the top.
            return await queue_page(request, web, viewer, replace(filters, cursor=""))
        failed, page = True, TicketPage()
    else:
        failed = False
    return web.render(
        request,
        "desk/queue.html",
        status,
        viewer=viewer,
        filters=filters,
        rows=queue_rows(page.items, language(request)),
        next_cursor=page.next_cursor,
        organizations=[] if isinstance(organizations, ServiceError) else organizations.items,
        statuses=STATUSES,
        portal_statuses=PORTAL_STATUSES,
        priorities=PRIORITIES,
        failed=failed,
        alert=alert,
        notice=notice,
    )


def done_notice(request: Request) -> str | None:
    key = DONE_MESSAGES.get(request.query_params.get("done", ""))
    number = request.query_params.get("ticket", "")
    if key is None or not NUMBER.match(number):
        return None
    return TEXTS[language(request)][key].format(number=number)


async def row_action(
    request: Request,
    web: Web,
    number: str,
    change: Callable[[Submission], dict[str, Any]],
    done: str,
) -> Response:
    """A quick change from a row of the queue, then back to the same view of it."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    back = QueueFilters.of(dict(parse_qsl(submission.text("back", 1000))))
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return await queue_page(request, web, viewer, back, alert=alert, status=403)
    try:
        await web.client(TicketsClient, viewer).change(number, change(submission))
    except ServiceError as error:
        message = field_messages(error, lang, lambda _path: None)[""]
        status = form_status(error)
        return await queue_page(request, web, viewer, back, alert=message, status=status)
    done_query = urlencode({"done": done, "ticket": number})
    target = f"/desk?{back.query()}&{done_query}" if back.query() else f"/desk?{done_query}"
    return web.redirect(request, viewer, target)


# --- Working one ticket ----------------------------------------------------------------


@router.get("/desk/{number}")
async def work(request: Request, number: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    return await work_page(request, web, viewer, number)


@router.post("/desk/{number}")
async def save_work(request: Request, number: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    t = TEXTS[lang]
    form = WorkForm.of_form(submission.form, submission.text)
    if not submission.csrf_ok:
        return await work_page(request, web, viewer, number, form, {"": t["session_expired"]}, 403)
    if errors := form.problems(t):
        return await work_page(request, web, viewer, number, form, errors, 422)
    try:
        await apply_work(web.client(TicketsClient, viewer), number, form)
    except ServiceError as error:
        errors = field_messages(error, lang, first_part(WORK_FIELDS))
        return await work_page(request, web, viewer, number, form, errors, form_status(error))
    target = f"/desk/{quote(number, safe='')}?done=saved#conversation"
    return web.redirect(request, viewer, target)


async def apply_work(tickets: TicketsClient, number: str, form: WorkForm) -> None:
    """The form's changes first, then its message or note (stops at the first refusal)."""
    if changes := form.changes():
        await tickets.change(number, changes)
    if form.body:
        await tickets.add_article(number, form.body, form.attachment_ids, internal=form.internal)


async def work_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    number: str,
    form: WorkForm | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    tickets = web.client(TicketsClient, viewer)
    ticket, answered, agents = await asyncio.gather(
        settle(tickets.ticket(number)), settle(tickets.articles(number)), _agents(web, viewer)
    )
    if isinstance(ticket, ServiceError):
        code = 404 if ticket.status in (404, 422) else 503
        return web.render(request, "desk/missing.html", code, viewer=viewer, missing="ticket")
    articles = [] if isinstance(answered, ServiceError) else answered.items
    return web.render(
        request,
        "desk/work.html",
        status,
        viewer=viewer,
        ticket=ticket,
        sla=WorkSla.of_ticket(ticket, language(request), datetime.now(UTC)),
        articles=articles,
        files=await file_names(web.client(FilesClient, viewer), articles),
        agents=agents,
        statuses=STATUSES,
        form=form or WorkForm.of_ticket(ticket),
        errors=errors or {},
        saved=request.query_params.get("done") == "saved",
    )


async def _agents(web: Web, viewer: Viewer) -> list[User]:
    """The active agents and administrators, to assign the ticket to."""
    identity = web.client(IdentityClient, viewer)
    try:
        staff = await identity.users(limit=MAX_CHOICES, roles=("agent", "admin"))
    except ServiceError:
        return []
    return [a for a in staff.items if getattr(a, "active", False)]


async def file_names(files: FilesClient, articles: list[Article]) -> dict[str, str]:
    ids = list(dict.fromkeys(i for a in articles for i in a.attachment_ids))
    found = await files.files(ids[:MAX_ATTACHMENT_LOOKUPS])
    return {i: f.name or "" for i, f in found.items()}
