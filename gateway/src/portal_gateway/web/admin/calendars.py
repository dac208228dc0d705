"""Administration of business calendars: the weekly opening hours, the time zone and
the holidays in which contracts count their reaction and resolution targets. The
vendor's admins list, create, change and delete them; one calendar is the default (the
standard terms without a contract count in it)."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.admin.contract_forms import WEEKDAYS, CalendarForm, notice
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.contracts import Calendar, ContractsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import field_messages, form_status
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.timezones import known_zones

router = APIRouter(include_in_schema=False)
LIST = "/admin/calendars"


def done(web: Web, request: Request, viewer: Viewer, what: str, subject: str) -> Response:
    query = urlencode({"done": what, "subject": subject[:100]})
    return web.redirect(request, viewer, f"{LIST}?{query}")


async def _list_page(
    web: Web, request: Request, viewer: Viewer, *, alert: str | None = None, status: int = 200
) -> Response:
    try:
        calendars, failed = await web.client(ContractsClient, viewer).calendars(), False
    except ServiceError:
        calendars, failed = [], True
    return web.render(
        request,
        "admin/calendar_list.html",
        status,
        viewer=viewer,
        calendars=calendars,
        failed=failed,
        notice=None if alert else notice(request),
        alert=alert,
    )


@router.get(LIST)
async def calendar_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return await _list_page(web, request, viewer)


def _form_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: CalendarForm,
    calendar_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    zones = sorted(known_zones())
    if form.time_zone and form.time_zone not in known_zones():
        zones.insert(0, form.time_zone)  # what was posted stays chosen, with its message
    return web.render(
        request,
        "admin/calendar_form.html",
        status,
        viewer=viewer,
        form=form,
        calendar_id=calendar_id,
        errors=errors or {},
        zones=zones,
        weekdays=WEEKDAYS,
    )


@router.get(LIST + "/new")
async def new_calendar(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return _form_page(web, request, viewer, CalendarForm())


@router.get(LIST + "/{calendar_id}")
async def edit_calendar(request: Request, calendar_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(calendar_id):
        return kit.missing(web, request, viewer)
    try:
        found = await web.client(ContractsClient, viewer).calendar(calendar_id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        raise
    return _form_page(web, request, viewer, CalendarForm.of(found), calendar_id)


@router.post(LIST + "/{calendar_id}")
async def save_calendar(request: Request, calendar_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes a business calendar."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = calendar_id == "new"
    if not creating and not is_uuid(calendar_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    form = CalendarForm.posted(submission)
    shown_id = None if creating else calendar_id
    if submission.csrf_ok and (half_open := form.half_open(lang)):
        errors = {"": TEXTS[lang]["form_has_errors"], **half_open}
        return _form_page(web, request, viewer, form, shown_id, errors, 422)
    calendars = web.client(ContractsClient, viewer)

    async def send() -> Calendar:
        if creating:
            return await calendars.create_calendar(form.body())
        return await calendars.update_calendar(calendar_id, form.body())

    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _form_page(
            web, request, viewer, form, shown_id, errors, status
        ),
        send=send,
        messages=lambda error: field_messages(error, lang, form.locate, conflict="name"),
        finish=lambda saved: done(
            web, request, viewer, "calendar_created" if creating else "calendar_saved", saved.name
        ),
    )


@router.post(LIST + "/{calendar_id}/delete")
async def delete_calendar(request: Request, calendar_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(calendar_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        return await _list_page(
            web, request, viewer, alert=TEXTS[lang]["session_expired"], status=403
        )
    try:
        await web.client(ContractsClient, viewer).delete_calendar(calendar_id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        return await _list_page(
            web, request, viewer, alert=error.message(lang), status=form_status(error)
        )
    return done(web, request, viewer, "calendar_deleted", submission.text("name", 100))
