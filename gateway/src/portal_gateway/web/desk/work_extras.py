"""The work page's further forms: text modules for the reply (searched and filled in as
JSON for the script; without it a choice of modules and an "insert" button that shows
the page again with the text in the reply box), linking related tickets, and merging a
duplicate into another ticket after a confirmation step."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from portal_gateway.web.base import Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.desk import DeskClient, TextModule
from portal_gateway.web.clients.tickets import Ticket, TicketsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.desk.refusals import desk_messages
from portal_gateway.web.desk.work import FINISHED, WorkForm
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import LANGUAGES, TEXTS, language

router = APIRouter(include_in_schema=False)
FOUND_MODULES = 20
NO_STORE = {"Cache-Control": "no-store"}
# The tickets service's refusals of a link or a merge (error code -> text key).
LINK_CODES = {"unknown_ticket": "work_link_err_unknown", "self_link": "work_link_err_self"}
MERGE_CODES = frozenset({"unknown_ticket", "self_merge", "other_organization", "merged", "closed"})


def refused(request: Request, web: Web, viewer: Viewer) -> Response | None:
    """For the service desk only; for everybody else the page does not exist."""
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_staff:
        return web.render(request, "desk/missing.html", 404, viewer=viewer, missing="page")
    return None


async def page(
    request: Request,
    web: Web,
    viewer: Viewer,
    number: str,
    form: WorkForm,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    # The page is `routes.py`'s, which includes this router: by the time a request
    # comes, it is imported (importing it above would import it half-done).
    from portal_gateway.web.desk.routes import work_page

    return await work_page(request, web, viewer, number, form, errors, status)


def back(number: str, done: str, anchor: str = "") -> str:
    return f"/desk/{quote(number, safe='')}?done={done}{anchor}"


# --- Text modules ---------------------------------------------------------------------


def module_json(module: TextModule, t: dict[str, str]) -> dict[str, Any]:
    """A found module for the script: what it sets, in words of the page's language."""
    sets = [t[f"desk_status_{module.set_status}"]] if module.set_status else []
    sets += [module.set_priority] if module.set_priority else []
    return {
        "id": module.id,
        "name": module.name,
        "language": module.language,
        "sets": ", ".join(sets),
        "preview": " ".join(module.body.split())[:140],
    }


@router.get("/desk/{number}/text-modules")
async def search_modules(request: Request, number: str, web: WebDep) -> Response:
    """The text modules matching `q` (in `language`, if given), as a name is typed."""
    viewer = await web.viewer(request)
    if not viewer.is_staff:
        return JSONResponse({"items": []}, status_code=404)
    wanted = request.query_params.get("language", "")
    found = await settle(
        web.client(DeskClient, viewer).text_modules(
            text=request.query_params.get("q", "").strip()[:200],
            language=wanted if wanted in LANGUAGES else None,
            limit=FOUND_MODULES,
        )
    )
    if isinstance(found, ServiceError):
        return JSONResponse({"items": []}, status_code=503)
    t = TEXTS[language(request)]
    items = [module_json(m, t) for m in found.items]
    return JSONResponse({"items": items}, headers=NO_STORE)


@router.get("/desk/{number}/text-modules/{module_id}")
async def fill_in_module(request: Request, number: str, module_id: str, web: WebDep) -> Response:
    """The module filled in for this ticket (changes nothing), for the script to insert."""
    viewer = await web.viewer(request)
    if not viewer.is_staff:
        return JSONResponse({}, status_code=404)
    t = TEXTS[language(request)]
    if not is_uuid(module_id):
        return JSONResponse({"error": t["work_tm_gone"]}, status_code=404)
    try:
        filled = await web.client(DeskClient, viewer).render_text_module(module_id, number)
    except ServiceError as error:
        message = t["work_tm_gone"] if error.missing else t["work_tm_failed"]
        return JSONResponse({"error": message}, status_code=form_status(error))
    body = {"body": filled.body, "set_status": filled.set_status or ""}
    body["set_priority"] = filled.set_priority or ""
    return JSONResponse(body, headers=NO_STORE)


@router.post("/desk/{number}/text-module")
async def insert_module(request: Request, number: str, web: WebDep) -> Response:
    """Without script: the page again, with the module's text after what was typed and
    its status and priority offered with the reply. Nothing is sent yet."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    t = TEXTS[language(request)]
    form = WorkForm.of_form(submission.form, submission.text)
    if not submission.csrf_ok:
        return await page(request, web, viewer, number, form, {"": t["session_expired"]}, 403)
    module_id = submission.text("module", 64)
    if not is_uuid(module_id):
        errors = {"module": t["work_tm_pick"], "": t["form_has_errors"]}
        return await page(request, web, viewer, number, form, errors, 422)
    try:
        filled = await web.client(DeskClient, viewer).render_text_module(module_id, number)
    except ServiceError as error:
        message = t["work_tm_gone"] if error.missing else t["work_tm_failed"]
        errors = {"module": message, "": t["form_has_errors"]}
        return await page(request, web, viewer, number, form, errors, form_status(error))
    form = form.with_module(filled.body, filled.set_status, filled.set_priority)
    return await page(request, web, viewer, number, form)


# --- Links ----------------------------------------------------------------------------


def link_refusal(error: ServiceError, lang: str, other: str) -> dict[str, str]:
    """The service's refusal of a link, in the desk's words, next to the number field."""
    t = TEXTS[lang]
    code = next((str(e.get("code", "")) for e in error.errors), "")
    if code in LINK_CODES:
        return {"link-number": t[LINK_CODES[code]].format(number=other), "": t["form_has_errors"]}
    return desk_messages(error, lang, {"number": "link-number"})


@router.post("/desk/{number}/links")
async def add_link(request: Request, number: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    t = TEXTS[lang]
    other = submission.text("number", 32)
    form = WorkForm(panel="links", link_number=other)
    if not submission.csrf_ok:
        return await page(request, web, viewer, number, form, {"": t["session_expired"]}, 403)
    if not other:
        errors = {"link-number": t["work_number_missing"], "": t["form_has_errors"]}
        return await page(request, web, viewer, number, form, errors, 422)
    try:
        await web.client(TicketsClient, viewer).link(number, other)
    except ServiceError as error:
        errors = link_refusal(error, lang, other)
        return await page(request, web, viewer, number, form, errors, form_status(error))
    return web.redirect(request, viewer, back(number, "linked", "#links-heading"))


@router.post("/desk/{number}/links/{other}/remove")
async def remove_link(request: Request, number: str, other: str, web: WebDep) -> Response:
    """Remove a related link (a merge's link stays)."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    t = TEXTS[lang]
    form = WorkForm(panel="links")
    if not submission.csrf_ok:
        return await page(request, web, viewer, number, form, {"": t["session_expired"]}, 403)
    try:
        await web.client(TicketsClient, viewer).unlink(number, other)
    except ServiceError as error:
        message = t["work_link_err_merge"] if error.status == 409 else error.message(lang)
        return await page(request, web, viewer, number, form, {"": message}, form_status(error))
    return web.redirect(request, viewer, back(number, "unlinked", "#links-heading"))


# --- Merging --------------------------------------------------------------------------


def merge_refusal(source: Ticket, target: Ticket) -> str | None:
    """Why `source` cannot go into `target`, by the service's codes, asked before the
    confirmation (the service checks again when it merges)."""
    if source.merged_into or source.status in FINISHED:
        return "source"
    if target.number == source.number:
        return "self_merge"
    source_org = source.organization.id if source.organization else None
    if (target.organization.id if target.organization else None) != source_org:
        return "other_organization"
    if target.merged_into:
        return "merged"
    if target.status in FINISHED:
        return "closed"
    return None


def merge_words(code: str, lang: str, number: str, into: str) -> dict[str, str]:
    t = TEXTS[lang]
    message = t[f"work_merge_err_{code}"].format(number=number, into=into)
    return {"merge-into": message, "": t["form_has_errors"]}


def service_merge_refusal(error: ServiceError, lang: str, number: str, into: str) -> dict[str, str]:
    """The service's refusal of the merge: 409 for this ticket, a code for the other."""
    if error.status == 409:
        return merge_words("source", lang, number, into)
    code = next((str(e.get("code", "")) for e in error.errors), "")
    if code in MERGE_CODES:
        return merge_words(code, lang, number, into)
    return desk_messages(error, lang, {"into": "merge-into"})


@router.post("/desk/{number}/merge")
async def merge(request: Request, number: str, web: WebDep) -> Response:
    """First the confirmation (what will happen), then the merge; the agent continues
    on the ticket merged into."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := refused(request, web, viewer)) is not None:
        return refusal
    lang = language(request)
    t = TEXTS[lang]
    into = submission.text("into", 32)
    form = WorkForm(panel="links", merge_into=into)
    if not submission.csrf_ok:
        return await page(request, web, viewer, number, form, {"": t["session_expired"]}, 403)
    if not into:
        errors = {"merge-into": t["work_number_missing"], "": t["form_has_errors"]}
        return await page(request, web, viewer, number, form, errors, 422)
    if submission.text("confirm", 8) != "yes":
        return await confirm_merge(request, web, viewer, number, form)
    try:
        await web.client(TicketsClient, viewer).merge(number, into)
    except ServiceError as error:
        if error.missing:  # this ticket is gone: the page says so
            return await page(request, web, viewer, number, form)
        errors = service_merge_refusal(error, lang, number, into)
        return await page(request, web, viewer, number, form, errors, form_status(error))
    return web.redirect(request, viewer, back(into, "merged"))


async def confirm_merge(
    request: Request, web: Web, viewer: Viewer, number: str, form: WorkForm
) -> HTMLResponse:
    """The confirmation step, or the refusal in words when the merge cannot be."""
    tickets = web.client(TicketsClient, viewer)
    source, target = await asyncio.gather(
        settle(tickets.ticket(number)), settle(tickets.ticket(form.merge_into))
    )
    if isinstance(source, ServiceError):  # this ticket is gone: the page says so
        return await page(request, web, viewer, number, form)
    lang = language(request)
    if isinstance(target, ServiceError) and target.unavailable:
        errors = {"": target.message(lang)}
        return await page(request, web, viewer, number, form, errors, form_status(target))
    code = "unknown_ticket" if isinstance(target, ServiceError) else merge_refusal(source, target)
    if code is not None or isinstance(target, ServiceError):
        errors = merge_words(code or "unknown_ticket", lang, source.number, form.merge_into)
        return await page(request, web, viewer, number, form, errors, 422)
    return web.render(request, "desk/merge.html", viewer=viewer, source=source, target=target)
