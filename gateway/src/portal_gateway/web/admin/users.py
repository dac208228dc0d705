"""Administration of people: users (create, change, deactivate, invite again); access
requests are in `access_requests.py`. The vendor's admins see everybody; a customer's
admin their organization."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.identity import (
    IdentityClient,
    User,
    Users,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import (
    CUSTOMER_ROLES,
    ROLES,
    UserForm,
    checked,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.web.i18n import TEXTS, language

USER_FIELDS = ("username", "email", "display_name", "organization_id", "language", "roles")

router = APIRouter(include_in_schema=False)


# --- users ------------------------------------------------------------------------------


async def _user_list_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    *,
    alert: str | None = None,
    status: int = 200,
    query: dict[str, str] | None = None,
) -> HTMLResponse:
    query = query if query is not None else dict(request.query_params)
    organization = query.get("organization", "")
    organization = organization if viewer.is_admin and is_uuid(organization) else ""
    cursor = query.get("cursor", "")[:64]
    users, orgs = await asyncio.gather(
        settle(
            web.client(IdentityClient, viewer).users(
                organization_id=organization or None, cursor=cursor or None
            )
        ),
        kit.organizations(web, viewer),
    )
    failed = isinstance(users, ServiceError)
    page = Users(items=[], next_cursor=None) if isinstance(users, ServiceError) else users
    return web.render(
        request,
        "admin/users.html",
        status,
        viewer=viewer,
        page=page,
        organizations=orgs,
        organization=organization,
        failed=failed,
        notice=None if alert else kit.notice(request),
        alert=alert,
    )


@router.get("/admin/users")
async def user_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    return await _user_list_page(web, request, viewer)


async def _own_organization_name(web: Web, viewer: Viewer) -> str:
    """A customer admin's organization, named on the form (they cannot choose another)."""
    if viewer.is_admin or not viewer.actor or not viewer.actor.organization_id:
        return ""
    identity = web.client(IdentityClient, viewer)
    try:
        return (await identity.organization(str(viewer.actor.organization_id))).name
    except ServiceError:
        return ""


async def _user_form(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: UserForm,
    errors: dict[str, str] | None = None,
    status: int = 200,
    *,
    user_id: str | None = None,
) -> HTMLResponse:
    own_name = await _own_organization_name(web, viewer)
    return web.render(
        request,
        "admin/user_form.html",
        status,
        viewer=viewer,
        form=form,
        user_id=user_id,
        errors=errors or {},
        organizations=await kit.organizations(web, viewer),
        own_organization=own_name,
        roles=ROLES if viewer.is_admin else CUSTOMER_ROLES,
        notice=kit.notice(request) if status == 200 else None,
    )


def _user_messages(request: Request) -> Callable[[ServiceError], dict[str, str]]:
    extra = {"password": "password", "permissions": "permission-review"}
    locate = first_part({**{f: f for f in USER_FIELDS}, **extra})
    return lambda error: field_messages(error, language(request), locate, conflict="username")


@router.get("/admin/users/new")
async def new_user(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    organization = request.query_params.get("organization", "")
    form = UserForm(organization_id=organization if is_uuid(organization) else "")
    return await _user_form(web, request, viewer, form)


@router.post("/admin/users/new")
async def create_user(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    form = UserForm.posted(submission)
    own = None
    if not viewer.is_admin and viewer.actor and viewer.actor.organization_id:
        own = str(viewer.actor.organization_id)
    identity = web.client(IdentityClient, viewer)
    what = "user_created" if form.password else "user_invited"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _user_form(web, request, viewer, form, errors, status),
        send=lambda: identity.create_user(form.body(own_organization=own)),
        messages=_user_messages(request),
        finish=lambda _user: kit.done(web, request, viewer, "/admin/users", what, form.username),
    )


@router.get("/admin/users/{user_id}")
async def edit_user(request: Request, user_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    if not is_uuid(user_id):
        return kit.missing(web, request, viewer)
    try:
        user = await web.client(IdentityClient, viewer).user(user_id)
    except ServiceError:
        return kit.missing(web, request, viewer)
    return await _user_form(web, request, viewer, UserForm.of(user), user_id=user_id)


@router.post("/admin/users/{user_id}")
async def save_user(request: Request, user_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    if not is_uuid(user_id):
        return kit.missing(web, request, viewer)
    form = UserForm.posted(submission)
    identity = web.client(IdentityClient, viewer)

    def finish(user: User) -> Response:
        return kit.done(web, request, viewer, "/admin/users", "user_saved", user.username)

    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _user_form(
            web, request, viewer, form, errors, status, user_id=user_id
        ),
        send=lambda: identity.update_user(user_id, form.changes()),
        messages=_user_messages(request),
        finish=finish,
    )


async def _user_action(
    web: Web,
    request: Request,
    user_id: str,
    call: Callable[[IdentityClient], Awaitable[None]],
    what: str,
) -> Response:
    """A button on the user list: done, or the list again with the service's refusal."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    if not is_uuid(user_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return await _user_list_page(web, request, viewer, alert=alert, status=403, query={})
    try:
        await call(web.client(IdentityClient, viewer))
    except ServiceError as error:
        message = field_messages(error, lang, lambda _path: None)[""]
        status = form_status(error)
        return await _user_list_page(web, request, viewer, alert=message, status=status, query={})
    username = submission.text("username", 64)
    return kit.done(web, request, viewer, "/admin/users", what, username)


@router.post("/admin/users/{user_id}/active")
async def set_active(request: Request, user_id: str, web: WebDep) -> Response:
    form = await request.form()
    active = checked(form, "active")
    what = "user_reactivated" if active else "user_deactivated"
    return await _user_action(
        web, request, user_id, lambda identity: identity.set_user_active(user_id, active), what
    )


@router.post("/admin/users/{user_id}/invitation")
async def resend_invitation(request: Request, user_id: str, web: WebDep) -> Response:
    return await _user_action(
        web,
        request,
        user_id,
        lambda identity: identity.resend_invitation(user_id),
        "invitation_sent",
    )
