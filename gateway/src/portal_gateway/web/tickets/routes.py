"""The ticket lists (scopes, filters, search, counters, saved views, Excel export) and the
new-ticket form (templates, conversation guide, taxonomy, contact, attachments)."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import ImmutableMultiDict

from portal_gateway.web.base import Submission, Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.assets import AssetsClient
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.catalog import CatalogClient, TicketTemplate
from portal_gateway.web.clients.files import FilesClient
from portal_gateway.web.clients.tickets import (
    CATEGORIES,
    PORTAL_STATUSES,
    PRIORITIES,
    Contact,
    SavedView,
    Summary,
    TicketPage,
    TicketsClient,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.tickets.drafts import (
    FORM_FIELDS,
    LIMITS,
    MAX_ATTACHMENTS,
    PREFILL,
    Draft,
    form_errors,
    grouped,
    guide,
    installation,
)
from portal_gateway.web.tickets.listing import (
    PAGE_SIZE,
    ListQuery,
    age,
    view_errors,
)
from portal_gateway.web.tickets.review import default_review, reviewing

router = APIRouter(include_in_schema=False)


def default_scope(viewer: Viewer, in_review: bool = False) -> str:
    # The service desk starts with every ticket, customers with their own; the
    # reviewers of an organization with internal review with all of its tickets.
    return "organization" if viewer.is_staff or (in_review and viewer.is_reviewer) else "mine"


async def read_query(web: Web, viewer: Viewer, source: ImmutableMultiDict[str, Any]) -> ListQuery:
    """A list's query, its defaults by the viewer's role and organization."""
    in_review = await reviewing(web, viewer)
    review = default_review(viewer, in_review)
    if review and any(source.get(name) for name in ("status", "priority", "category", "q")):
        # A link that filters already (the start page's counters) counts every review
        # state; only the plain list starts where the role's work waits.
        review = "all"
    return ListQuery.read(source, default_scope(viewer, in_review), review)


# --- Lists -------------------------------------------------------------------------------


@router.get("/tickets")
async def tickets(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    query = await read_query(web, viewer, request.query_params)
    cursor = request.query_params.get("cursor", "")[:200]
    return await list_page(request, web, viewer, query, cursor=cursor)


@router.post("/tickets/views")
async def save_view(request: Request, web: WebDep) -> Response:
    sub = await web.submission(request)
    viewer = sub.viewer
    if viewer.actor is None:
        return RedirectResponse("/login?next=/tickets", status_code=303)
    query = await read_query(web, viewer, sub.form)
    name = sub.text("name", 100)
    lang = language(request)
    if not sub.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return await list_page(
            request, web, viewer, query, status=403, view_errors=errors, view_name=name
        )
    try:
        await web.client(TicketsClient, viewer).save_view(name, query.saved())
    except ServiceError as error:
        return await list_page(
            request,
            web,
            viewer,
            query,
            status=form_status(error),
            view_errors=view_errors(error, lang),
            view_name=name,
        )
    return web.redirect(request, viewer, query.url())


@router.post("/tickets/views/{view_id}/delete")
async def delete_view(request: Request, view_id: str, web: WebDep) -> Response:
    sub = await web.submission(request)
    if sub.viewer.actor is None:
        return RedirectResponse("/login?next=/tickets", status_code=303)
    if sub.csrf_ok and is_uuid(view_id):
        # Refused: the list shows the view as it still is.
        with suppress(ServiceError):
            await web.client(TicketsClient, sub.viewer).delete_view(view_id)
    back = sub.text("back", 2000)
    # Only back to a list of this site, never elsewhere.
    target = back if back.startswith("/tickets?") else "/tickets"
    return web.redirect(request, sub.viewer, target)


async def list_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    query: ListQuery,
    *,
    cursor: str = "",
    status: int = 200,
    view_errors: dict[str, str] | None = None,
    view_name: str = "",
) -> HTMLResponse:
    lang = language(request)
    params = query.api_pairs()
    page_params = [*params, ("limit", str(PAGE_SIZE))]
    if cursor:
        page_params.append(("cursor", cursor))
    client = web.client(TicketsClient, viewer)
    listing, summary, views = await asyncio.gather(
        settle(client.tickets(page_params)),
        settle(client.summary(query.scope)),
        settle(client.saved_views()),
    )
    page = listing if isinstance(listing, TicketPage) else TicketPage()
    now, words = datetime.now(UTC), TEXTS[lang]
    return web.render(
        request,
        "tickets/list.html",
        status,
        viewer=viewer,
        query=query,
        here=query.url(),
        rows=[t.model_copy(update={"age": age(t.created_at, now, words)}) for t in page.items],
        next_url=query.url() + "&" + urlencode({"cursor": page.next_cursor})
        if page.next_cursor
        else None,
        list_error=listing.messages(lang)[""] if isinstance(listing, ServiceError) else None,
        summary=summary if isinstance(summary, Summary) else None,
        # The counters count every ticket of the scope: their links show all of them.
        blank=ListQuery(scope=query.scope, review="all" if query.review else ""),
        views=[] if isinstance(views, ServiceError) else saved(views.items, viewer, query),
        view_errors=view_errors or {},
        view_name=view_name,
        export_url="/api/v1/tickets/export.xlsx?" + urlencode([*params, ("lang", lang)]),
        statuses=PORTAL_STATUSES,
        priorities=PRIORITIES,
        categories=CATEGORIES,
    )


def saved(views: list[SavedView], viewer: Viewer, shown: ListQuery) -> list[SavedView]:
    """The saved views, each with the link to its list (the desk's queue keeps its own
    views in the same place; they are the desk's). A view keeps no review filter: its
    link shows all review states where the list has the filter."""
    in_review = bool(shown.review)
    scope, review = default_scope(viewer, in_review), "all" if in_review else ""
    mine = [v for v in views if v.query.get("page", "list") == "list"]
    return [v.model_copy(update={"url": ListQuery.of(v.query, scope, review).url()}) for v in mine]


# --- New ticket ----------------------------------------------------------------------------


@router.get("/tickets/new")
async def new_ticket(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    query = request.query_params
    prefill = {
        name: (query.get(param) or "").strip()[: LIMITS[name]] for param, name in PREFILL.items()
    }
    templates = await templates_of(web, viewer)
    chosen = query.get("template")
    if chosen is None and templates:
        return choose_page(request, web, viewer, templates, prefill)
    template = next((t for t in templates if t.id == chosen), None)
    if chosen not in (None, "none") and template is None:
        return choose_page(request, web, viewer, templates, prefill, unknown=True)
    values = dict.fromkeys(FORM_FIELDS, "")
    values.update(prefill)  # the priority: the contract's default, chosen by `form_page`
    if template is not None:
        values["category"] = template.category
        values["subject_area"] = template.subject_area or ""
    return await form_page(request, web, viewer, template, Draft(values))


@router.post("/tickets/new")
async def create_ticket(request: Request, web: WebDep) -> Response:
    sub = await web.submission(request)
    viewer = sub.viewer
    if viewer.actor is None:
        return RedirectResponse("/login?next=/tickets/new", status_code=303)
    lang = language(request)
    template_id = sub.text("template_id", 100)
    templates = await templates_of(web, viewer) if template_id else []
    template = next((t for t in templates if t.id == template_id), None)
    draft = await read_draft(web, sub, template)
    if not sub.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return await form_page(request, web, viewer, template, draft, errors=errors, status=403)
    try:
        body = draft.body(template, template_id)
        opened = await web.client(TicketsClient, viewer).open_ticket(body)
    except ServiceError as error:
        errors = form_errors(error, lang, missing=draft.missing(template))
        status = form_status(error)
        return await form_page(request, web, viewer, template, draft, errors=errors, status=status)
    number = quote(opened.number, safe="")
    return web.redirect(request, viewer, f"/tickets/{number}?created=1")


async def templates_of(web: Web, viewer: Viewer) -> list[TicketTemplate]:
    try:
        templates = await web.client(CatalogClient, viewer).templates()
    except ServiceError:
        return []
    return [t for t in templates if t.active]


async def read_draft(web: Web, sub: Submission, template: TicketTemplate | None) -> Draft:
    values = {name: sub.text(name, LIMITS.get(name, 200)) for name in FORM_FIELDS}
    answers = {
        q.id: sub.text(f"guide_{q.id}", 20_000) for q in (template.guide if template else [])
    }
    ids = [str(i) for i in sub.form.getlist("attachment_ids") if isinstance(i, str)]
    unique = list(dict.fromkeys(i for i in ids if is_uuid(i)))[:20]
    found = await web.client(FilesClient, sub.viewer).files(unique)
    # A file the viewer may no longer see stays in the draft, without name and size.
    files = [
        {"id": i, "name": found[i].name, "size": found[i].size}
        if i in found
        else {"id": i, "name": None, "size": None}
        for i in unique
    ]
    return Draft(values, answers, files)


async def form_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    template: TicketTemplate | None,
    draft: Draft,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    client = web.client(TicketsClient, viewer)
    lang = language(request)
    areas, contacts, choice, chosen, in_review = await asyncio.gather(
        settle(web.client(CatalogClient, viewer).subject_areas()),
        colleagues(client, viewer),
        settle(client.new_ticket_priorities()),
        installation(web.client(AssetsClient, viewer), draft.values, lang),
        reviewing(web, viewer),
    )
    if not draft.values.get("priority"):  # a new form: what a ticket gets unless chosen
        draft.values["priority"] = "P4" if isinstance(choice, ServiceError) else choice.default
    return web.render(
        request,
        "tickets/new.html",
        status,
        viewer=viewer,
        template=template,
        guide=guide(template, lang),
        draft=draft,
        installation=chosen,
        errors=errors or {},
        areas=[] if isinstance(areas, ServiceError) else [a for a in areas if a.active],
        contacts=contacts,
        # When in doubt, offer the choice: the tickets service decides on creation (only
        # P4 without a contract for priorities).
        priority_choice=isinstance(choice, ServiceError) or len(choice.items or PRIORITIES) > 1,
        priorities=PRIORITIES,
        categories=CATEGORIES,
        slots=max(0, MAX_ATTACHMENTS - len(draft.attachments)),
        # Its organization's IT reviews the ticket first; its reviewers may skip that.
        in_review=in_review,
    )


async def colleagues(client: TicketsClient, viewer: Viewer) -> list[Contact]:
    """Whom a customer may open a ticket for besides themselves (the desk: nobody)."""
    if viewer.actor is None or viewer.is_staff:
        return []
    try:
        contacts = await client.contacts()
    except ServiceError:
        return []
    me = str(viewer.actor.id)
    return [c for c in contacts.items if c.id != me]


def choose_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    templates: list[TicketTemplate],
    prefill: dict[str, str],
    *,
    unknown: bool = False,
) -> HTMLResponse:
    carried = {param: prefill[name] for param, name in PREFILL.items() if prefill[name]}
    return web.render(
        request,
        "tickets/new.html",
        404 if unknown else 200,
        viewer=viewer,
        step=1,
        groups=grouped(templates),
        carry=("&" + urlencode(carried)) if carried else "",
        unknown=unknown,
    )
