"""The queue page as a whole: the tickets of the chosen filters, the queue's own views
and the agent's saved views with the number of tickets each finds, and the forms that
change the page's state: saving or deleting a view, and bulk actions on ticked tickets."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.desk import AgentGroup, DeskClient
from portal_gateway.web.clients.identity import IdentityClient, User
from portal_gateway.web.clients.tickets import (
    PORTAL_STATUSES,
    PRIORITIES,
    STATUSES,
    SavedView,
    TicketPage,
    TicketsClient,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.desk import bulk
from portal_gateway.web.desk.bulk import BulkForm, BulkSummary
from portal_gateway.web.desk.queue import TABS, QueueFilters, queue_rows
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

MAX_CHOICES = 200
MAX_VIEW_NAME = 100
# Each count is a request to the tickets service: the first views get one, the rest
# (an agent with very many views) show without.
MAX_COUNTED_VIEWS = 20
VIEW_NOTICES = {"view_saved": "desk_view_saved", "view_deleted": "desk_view_deleted"}

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ViewLink:
    """A view of the queue as a link: one of the queue's own, or one the agent saved."""

    label: str
    query: str
    count: int | None
    current: bool
    tab: str = ""
    view_id: str = ""


@dataclass
class Loaded:
    filters: QueueFilters
    page: TicketPage
    failed: bool
    organizations: list[Any]
    agents: list[User]
    saved: list[SavedView]
    groups: list[AgentGroup]


def refused(request: Request, web: Web, viewer: Viewer) -> Response | None:
    """For the service desk only; for everybody else the page does not exist."""
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_staff:
        return web.render(request, "desk/missing.html", 404, viewer=viewer, missing="page")
    return None


async def render_queue(
    request: Request,
    web: Web,
    viewer: Viewer,
    filters: QueueFilters,
    *,
    alert: str | None = None,
    notice: str | None = None,
    status: int = 200,
    **forms: Any,
) -> HTMLResponse:
    """The queue page; `forms` holds what a posted form left to show (its values, its
    messages, a bulk action's summary)."""
    lang = language(request)
    loaded = await load(web, viewer, filters)
    tabs, saved = await view_links(web.client(TicketsClient, viewer), loaded, TEXTS[lang])
    return web.render(
        request,
        "desk/queue.html",
        status,
        viewer=viewer,
        filters=loaded.filters,
        rows=queue_rows(loaded.page.items, lang),
        next_cursor=loaded.page.next_cursor,
        organizations=loaded.organizations,
        groups=loaded.groups,
        agents=loaded.agents,
        tabs=tabs,
        saved=saved,
        statuses=STATUSES,
        portal_statuses=PORTAL_STATUSES,
        priorities=PRIORITIES,
        failed=loaded.failed,
        alert=alert,
        notice=notice or view_notice(request),
        bulk=forms.get("bulk"),
        bulk_form=forms.get("bulk_form") or BulkForm(),
        view_name=forms.get("view_name", ""),
        view_error=forms.get("view_error"),
    )


async def load(web: Web, viewer: Viewer, filters: QueueFilters) -> Loaded:
    tickets = web.client(TicketsClient, viewer)
    page, organizations, agents, views, groups = await asyncio.gather(
        settle(tickets.tickets(filters.api_params())),
        settle(web.client(IdentityClient, viewer).organizations(limit=MAX_CHOICES)),
        staff(web, viewer),
        settle(tickets.saved_views()),
        settle(web.client(DeskClient, viewer).groups()),
    )
    if isinstance(page, ServiceError) and page.status == 422 and filters.cursor:
        # A stale cursor (the sort changed): start again from the top.
        filters = replace(filters, cursor="")
        page = await settle(tickets.tickets(filters.api_params()))
    return Loaded(
        filters=filters,
        page=TicketPage() if isinstance(page, ServiceError) else page,
        failed=isinstance(page, ServiceError),
        organizations=[] if isinstance(organizations, ServiceError) else organizations.items,
        agents=agents,
        saved=[] if isinstance(views, ServiceError) else desk_views(views.items),
        groups=[] if isinstance(groups, ServiceError) else groups,
    )


def desk_views(views: list[SavedView]) -> list[SavedView]:
    """The views saved on the desk (the ticket list's own views are the list's)."""
    return [v for v in views if v.query.get("page") == "desk"]


async def staff(web: Web, viewer: Viewer) -> list[User]:
    """The active agents and administrators, to filter by and to assign to."""
    identity = web.client(IdentityClient, viewer)
    try:
        found = await identity.users(limit=MAX_CHOICES, roles=("agent", "admin"))
    except ServiceError:
        return []
    return [a for a in found.items if getattr(a, "active", False)]


async def view_links(
    tickets: TicketsClient, loaded: Loaded, t: Mapping[str, str]
) -> tuple[list[ViewLink], list[ViewLink]]:
    """The queue's own views and the saved ones, each with its count of tickets."""
    own = [QueueFilters.of({"tab": tab}) for tab in TABS]
    saved = [QueueFilters.of_view(v.query) for v in loaded.saved]
    counted = own + saved[:MAX_COUNTED_VIEWS]
    totals = await asyncio.gather(*(settle(tickets.count(f.count_params())) for f in counted))
    counts = [None if isinstance(n, ServiceError) else n.total for n in totals]
    counts += [None] * (len(own) + len(saved) - len(counts))
    current = loaded.filters
    tabs = [
        ViewLink(
            label=t[f"desk_tab_{tab}"],
            query=current.preset_query(tab),
            count=counts[i],
            current=current.tab == tab,
            tab=tab,
        )
        for i, tab in enumerate(TABS)
    ]
    links = [
        ViewLink(
            label=view.name,
            query=filters.query(),
            count=counts[len(own) + i],
            current=filters.query() == current.query(),
            view_id=view.id,
        )
        for i, (view, filters) in enumerate(zip(loaded.saved, saved, strict=True))
    ]
    return tabs, links


def view_notice(request: Request) -> str | None:
    key = VIEW_NOTICES.get(request.query_params.get("done", ""))
    if key is None:
        return None
    name = request.query_params.get("view", "")[:100]
    return TEXTS[language(request)][key].format(name=name)


def back_to(submission: Submission) -> QueueFilters:
    """The view of the queue a form was sent from."""
    return QueueFilters.of(dict(parse_qsl(submission.text("back", 1000))))


# --- Bulk actions ----------------------------------------------------------------------


@router.post("/desk/bulk")
async def bulk_change(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    back, lang = back_to(submission), language(request)
    t = TEXTS[lang]
    form = BulkForm.of(submission.form, submission.text)
    if not submission.csrf_ok:
        alert = t["session_expired"]
        return await render_queue(request, web, viewer, back, alert=alert, status=403)
    if problem := form.problem(t):
        return await render_queue(
            request, web, viewer, back, alert=problem, status=422, bulk_form=form
        )
    me = str(viewer.actor.id) if viewer.actor else ""
    try:
        result = await bulk.apply(web.client(TicketsClient, viewer), form, me)
    except ServiceError as error:
        alert = bulk.refused_whole(error, lang)
        status = form_status(error)
        return await render_queue(
            request, web, viewer, back, alert=alert, status=status, bulk_form=form
        )
    done: BulkSummary = bulk.summary(result, lang)
    return await render_queue(request, web, viewer, back, bulk=done)


# --- Saved views -----------------------------------------------------------------------


@router.post("/desk/views")
async def save_view(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    back, lang = back_to(submission), language(request)
    t = TEXTS[lang]
    name = " ".join(submission.text("name", 200).split())
    if not submission.csrf_ok:
        alert = t["session_expired"]
        return await render_queue(request, web, viewer, back, alert=alert, status=403)
    problem, status = view_name_problem(name, t), 422
    if problem is None:
        try:
            await web.client(TicketsClient, viewer).save_view(name, back.view_query())
        except ServiceError as error:
            problem, status = saving_refused(error, lang), form_status(error)
    if problem is not None:
        return await render_queue(
            request, web, viewer, back, status=status, view_name=name, view_error=problem
        )
    done = urlencode({"done": "view_saved", "view": name})
    return web.redirect(request, viewer, f"/desk?{back.query()}&{done}")


def view_name_problem(name: str, t: Mapping[str, str]) -> str | None:
    if not name:
        return t["desk_view_name_missing"]
    if len(name) > MAX_VIEW_NAME:
        return t["desk_view_name_long"].format(n=MAX_VIEW_NAME)
    return None


def saving_refused(error: ServiceError, lang: str) -> str:
    t = TEXTS[lang]
    if error.status == 409:
        return t["desk_view_name_taken"]
    if any(e.get("code") == "too_many" for e in error.errors):
        return t["desk_view_too_many"]
    messages = error.messages(lang)
    return messages.get("name") or error.message(lang)


@router.post("/desk/views/{view_id}/delete")
async def delete_view(request: Request, view_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    back, t = back_to(submission), TEXTS[language(request)]
    if not submission.csrf_ok:
        alert = t["session_expired"]
        return await render_queue(request, web, viewer, back, alert=alert, status=403)
    try:
        await web.client(TicketsClient, viewer).delete_view(view_id)
    except ServiceError as error:
        gone = error.status in (404, 422)  # someone else's view, or no view id at all
        alert = t["desk_view_gone"] if gone else error.message(language(request))
        status = form_status(error)
        return await render_queue(request, web, viewer, back, alert=alert, status=status)
    return web.redirect(request, viewer, f"/desk?{back.query()}&done=view_deleted")
