"""Administration in the browser. The vendor's admins manage organizations, users,
templates with their conversation guides, the taxonomy, access requests and OAuth
clients (applications); a customer's admin manages the users and access requests of
their own organization and switches its internal review (`organization_settings.py`).
For everybody else these pages do not exist.

This module holds the overview and the organizations; users live in `users.py`, access
requests in `access_requests.py`, templates and the taxonomy in `catalog.py`, OAuth
clients in `clients.py`, contracts in `contracts.py`, business calendars in
`calendars.py`, the desk's agent groups, routing rules and text modules in
`groups.py`, `routing.py` and `text_modules.py`, and two-factor sign-in (the policy,
a user's reset) in `security.py`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import (
    access_requests,
    calendars,
    catalog,
    clients,
    contracts,
    groups,
    kit,
    organization_settings,
    routing,
    security,
    text_modules,
    users,
)
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, Organization, Organizations
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import OrganizationForm
from portal_gateway.web.i18n import language

ORGANIZATION_FIELDS = (
    "name",
    "priority_contract",
    "org_wide_visibility",
    "sla_contract",
    "active",
    "internal_review",
    "email_domains",
)

router = APIRouter(include_in_schema=False)


@router.get("/admin")
async def overview(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    # The viewer carries the count already (the navigation shows it on every page).
    pending = viewer.pending_requests or 0
    return web.render(request, "admin/overview.html", viewer=viewer, pending=pending)


@router.get("/admin/organizations")
async def organization_list(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    cursor = request.query_params.get("cursor", "")[:200]
    try:
        page = await web.client(IdentityClient, viewer).organizations(cursor=cursor or None)
        failed = False
    except ServiceError:
        page, failed = Organizations(items=[], next_cursor=None), True
    return web.render(
        request,
        "admin/organizations.html",
        viewer=viewer,
        page=page,
        failed=failed,
        notice=kit.notice(request),
    )


def _organization_form(
    web: Web,
    request: Request,
    viewer: Viewer,
    form: OrganizationForm,
    organization_id: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    return web.render(
        request,
        "admin/organization_form.html",
        status,
        viewer=viewer,
        form=form,
        organization_id=organization_id,
        errors=errors or {},
    )


@router.get("/admin/organizations/new")
async def new_organization(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    return _organization_form(web, request, viewer, OrganizationForm())


@router.get("/admin/organizations/{organization_id}")
async def edit_organization(request: Request, organization_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(organization_id):
        return kit.missing(web, request, viewer)
    try:
        found = await web.client(IdentityClient, viewer).organization(organization_id)
    except ServiceError:
        return kit.missing(web, request, viewer)
    form = OrganizationForm.of(found)
    return _organization_form(web, request, viewer, form, organization_id)


@router.post("/admin/organizations/{organization_id}")
async def save_organization(request: Request, organization_id: str, web: WebDep) -> Response:
    """Creates (`new`) or changes an organization."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    creating = organization_id == "new"
    if not creating and not is_uuid(organization_id):
        return kit.missing(web, request, viewer)
    form = OrganizationForm.posted(submission)
    shown_id = None if creating else organization_id
    identity = web.client(IdentityClient, viewer)

    async def send() -> Organization:
        # The SLA contract's name follows the contract in force (the tickets service
        # tells identity): the form shows it, never sends it.
        body = form.body(editing=not creating)
        body.pop("sla_contract", None)
        if creating:
            return await identity.create_organization(body)
        return await identity.update_organization(organization_id, body)

    what = "org_created" if creating else "org_saved"
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _organization_form(
            web, request, viewer, form, shown_id, errors, status
        ),
        send=send,
        messages=lambda error: organization_settings.domain_messages(
            error, language(request), ORGANIZATION_FIELDS, form.domains()
        ),
        finish=lambda _saved: kit.done(
            web, request, viewer, "/admin/organizations", what, form.name
        ),
    )


# The other administration pages, after these (their paths do not overlap).
router.include_router(users.router)
router.include_router(access_requests.router)
router.include_router(organization_settings.router)
router.include_router(catalog.router)
router.include_router(clients.router)
router.include_router(contracts.router)
router.include_router(calendars.router)
router.include_router(groups.router)
router.include_router(routing.router)
router.include_router(text_modules.router)
router.include_router(security.router)
