"""The agent desk: the queue of open tickets with SLA indicators and row actions, and a
compact page to work one ticket (conversation with internal notes, a reply or note, the
ticket's facts in one form, following it); opening a ticket for a caller is in
`opening.py`."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import (
    CATEGORIES,
    STATUSES,
    TicketsClient,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.desk import board, opening, work_extras
from portal_gateway.web.desk.queue import QueueFilters
from portal_gateway.web.desk.refusals import desk_messages, newer_message
from portal_gateway.web.desk.work import WORK_FIELDS, Facts, WorkForm, WorkSla, load_work
from portal_gateway.web.forms import field_messages, form_status
from portal_gateway.web.i18n import TEXTS, language

DONE_MESSAGES = {"assigned": "desk_done_assigned", "status": "desk_done_status"}
NUMBER = re.compile(r"^[A-Za-z0-9-]{1,32}$")

router = APIRouter(include_in_schema=False)
# Opening a ticket for a caller first: `/desk/{number}` would take "new" for a number.
router.include_router(opening.router)
# The queue's bulk actions and saved views (`/desk/bulk`, `/desk/views`) likewise.
router.include_router(board.router)
# The work page's text modules, links and merging (`/desk/{number}/...`).
router.include_router(work_extras.router)


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
    """The queue (`board.py`: its views with their counts, bulk actions, saving views)."""
    return await board.render_queue(
        request, web, viewer, filters, alert=alert, notice=notice, status=status
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

# The notice after a redirect to the work page: ?done=... -> the text's key.
WORK_DONE = {
    "saved": "desk_done_saved",
    "opened": "desk_done_opened",
    "followed": "desk_done_followed",
    "unfollowed": "desk_done_unfollowed",
    "linked": "work_done_linked",
    "unlinked": "work_done_unlinked",
    "merged": "work_done_merged",
    "followers": "desk_done_followers",
}


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
    seen_until = submission.text("seen_until", 64)
    try:
        await apply_work(web.client(TicketsClient, viewer), number, form, seen_until)
    except ServiceError as error:
        if newer_message(error):
            # The facts are saved; the reply waits until the new message was read. The
            # page shows it, and the typed text stays.
            kept = replace(form, facts=None)
            return await work_page(request, web, viewer, number, kept, status=409, stale=True)
        errors = desk_messages(error, lang, WORK_FIELDS)
        return await work_page(request, web, viewer, number, form, errors, form_status(error))
    target = f"/desk/{quote(number, safe='')}?done=saved#conversation"
    return web.redirect(request, viewer, target)


async def apply_work(tickets: TicketsClient, number: str, form: WorkForm, seen_until: str) -> None:
    """The form's changes first, then its message or note (stops at the first refusal)."""
    if changes := form.changes():
        await tickets.change(number, changes)
    if form.body:
        await tickets.add_article(
            number,
            form.body,
            form.attachment_ids,
            internal=form.internal,
            seen_until=seen_until or None,
            minutes=form.booked_minutes,
        )


@router.post("/desk/{number}/follow")
async def follow(request: Request, number: str, web: WebDep) -> Response:
    """Follow the ticket (its news come to me) or stop following it."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    if not submission.csrf_ok:
        alert = {"": TEXTS[lang]["session_expired"]}
        return await work_page(request, web, viewer, number, errors=alert, status=403)
    tickets = web.client(TicketsClient, viewer)
    following = submission.text("follow") == "1"
    try:
        await (tickets.follow(number) if following else tickets.unfollow(number))
    except ServiceError as error:
        status = form_status(error)
        return await work_page(
            request, web, viewer, number, errors={"": error.message(lang)}, status=status
        )
    done = "followed" if following else "unfollowed"
    return web.redirect(request, viewer, f"/desk/{quote(number, safe='')}?done={done}")


@router.post("/desk/{number}/followers")
async def change_followers(request: Request, number: str, web: WebDep) -> Response:
    """Add someone as a follower of the ticket (`add`), or remove one (`remove`)."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    if not submission.csrf_ok:
        alert = {"": TEXTS[lang]["session_expired"]}
        return await work_page(request, web, viewer, number, errors=alert, status=403)
    tickets = web.client(TicketsClient, viewer)
    added, removed = submission.text("add", 64), submission.text("remove", 64)
    if not (is_uuid(added) or is_uuid(removed)):
        alert = {"follower": TEXTS[lang]["desk_follower_choose"]}
        return await work_page(request, web, viewer, number, errors=alert, status=422)
    try:
        if is_uuid(added):
            await tickets.add_follower(number, added)
        else:
            await tickets.remove_follower(number, removed)
    except ServiceError as error:
        words = {
            "": TEXTS[lang]["desk_follower_refused"] if error.status == 422 else error.message(lang)
        }
        return await work_page(
            request, web, viewer, number, errors=words, status=form_status(error)
        )
    target = f"/desk/{quote(number, safe='')}?done=followers#followers"
    return web.redirect(request, viewer, target)


async def work_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    number: str,
    form: WorkForm | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    *,
    stale: bool = False,
) -> HTMLResponse:
    """The work page; `stale`: a reply was held back for a message that arrived."""
    view = await load_work(web, viewer, number)
    if isinstance(view, ServiceError):
        code = 404 if view.status in (404, 422) else 503
        return web.render(request, "desk/missing.html", code, viewer=viewer, missing="ticket")
    lang = language(request)
    form = form or WorkForm()
    done = WORK_DONE.get(request.query_params.get("done", ""))
    return web.render(
        request,
        "desk/work.html",
        status,
        viewer=viewer,
        view=view,
        ticket=view.ticket,
        sla=WorkSla.of_ticket(view.ticket, lang, datetime.now(UTC)),
        articles=view.articles,
        files=view.files,
        agents=view.agents,
        statuses=STATUSES,
        categories=CATEGORIES,
        form=form,
        facts=view.facts_of(form),
        shown=Facts.of_ticket(view.ticket),
        errors=errors or {},
        done=TEXTS[lang][done] if done and not errors and not stale else None,
        stale=stale,
    )
