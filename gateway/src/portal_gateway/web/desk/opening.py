"""The desk opens a ticket for a caller: find the customer contact (a search form, and
the same search as JSON for the script that searches while a name is typed), then the
ticket's form; the new ticket opens on the work page."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from portal_gateway.web.base import Viewer, Web, sign_in_first
from portal_gateway.web.clients.assets import AssetsClient
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.catalog import CatalogClient
from portal_gateway.web.clients.desk import DeskClient
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.clients.tickets import CATEGORIES, CHANNELS, PRIORITIES, TicketsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.desk.caller import (
    CALLER_FIELDS,
    MIN_SEARCH,
    CallerTicket,
    caller,
    find_callers,
)
from portal_gateway.web.desk.refusals import desk_messages
from portal_gateway.web.desk.work import offered_assets
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

router = APIRouter(include_in_schema=False)


def refused(request: Request, web: Web, viewer: Viewer) -> Response | None:
    """For the service desk only; for everybody else the page does not exist."""
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_staff:
        return web.render(request, "desk/missing.html", 404, viewer=viewer, missing="page")
    return None


@router.get("/desk/new")
async def new_ticket(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    contact = request.query_params.get("contact", "")
    if contact:
        return await form_page(request, web, viewer, CallerTicket(contact_id=contact))
    return await search_page(request, web, viewer, request.query_params.get("q", ""))


@router.get("/desk/new/contacts")
async def contacts(request: Request, web: WebDep) -> Response:
    """The callers matching `q`, for the search as a name is typed."""
    viewer = await web.viewer(request)
    if not viewer.is_staff:
        return JSONResponse({"items": []}, status_code=404)
    identity = web.client(IdentityClient, viewer)
    found = await settle(find_callers(identity, request.query_params.get("q", "")))
    if isinstance(found, ServiceError):
        return JSONResponse({"items": []}, status_code=503)
    items = [c.as_json() for c in found]
    return JSONResponse({"items": items}, headers={"Cache-Control": "no-store"})


@router.post("/desk/new")
async def open_for_caller(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    t = TEXTS[lang]
    form = CallerTicket.posted(submission.text)
    if not submission.csrf_ok:
        return await form_page(request, web, viewer, form, {"": t["session_expired"]}, 403)
    if errors := form.problems(t):
        return await form_page(request, web, viewer, form, errors, 422)
    contact = await caller(web.client(IdentityClient, viewer), form.contact_id)
    if contact is None:
        alert = t["desk_err_unknown_contact"]
        return await search_page(request, web, viewer, "", alert=alert, status=422)
    try:
        opened = await web.client(TicketsClient, viewer).open_ticket(form.body(contact))
    except ServiceError as error:
        errors = desk_messages(error, lang, CALLER_FIELDS)
        return await form_page(request, web, viewer, form, errors, form_status(error))
    return web.redirect(request, viewer, f"/desk/{quote(opened.number, safe='')}?done=opened")


async def search_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    text: str,
    *,
    alert: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The first step: find the caller."""
    found = await settle(find_callers(web.client(IdentityClient, viewer), text))
    failed = isinstance(found, ServiceError)
    return web.render(
        request,
        "desk/new.html",
        503 if failed else status,
        viewer=viewer,
        step="search",
        q=text[:100],
        searched=len(text.strip()) >= MIN_SEARCH,
        callers=[] if isinstance(found, ServiceError) else found,
        failed=failed,
        alert=alert,
    )


async def form_page(
    request: Request,
    web: Web,
    viewer: Viewer,
    form: CallerTicket,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    """The second step: the ticket's form for the chosen caller (a caller that cannot
    be found sends the agent back to the search)."""
    contact = await caller(web.client(IdentityClient, viewer), form.contact_id)
    if contact is None:
        alert = TEXTS[language(request)]["desk_err_unknown_contact"]
        return await search_page(request, web, viewer, "", alert=alert, status=404)
    areas, assets, groups = await asyncio.gather(
        settle(web.client(CatalogClient, viewer).subject_areas()),
        offered_assets(web.client(AssetsClient, viewer), contact.organization_id),
        settle(web.client(DeskClient, viewer).groups()),
    )
    return web.render(
        request,
        "desk/new.html",
        status,
        viewer=viewer,
        step="form",
        caller=contact,
        form=form,
        errors=errors or {},
        areas=[] if isinstance(areas, ServiceError) else [a for a in areas if a.active],
        assets=assets,
        # Without the list the routing rules choose, as when no group is named.
        groups=[] if isinstance(groups, ServiceError) else [(g.id, g.name) for g in groups],
        categories=CATEGORIES,
        priorities=PRIORITIES,
        channels=CHANNELS,
    )
