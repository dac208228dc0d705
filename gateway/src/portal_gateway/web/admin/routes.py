"""Administration in the browser. The vendor's admins manage organizations, users,
templates with their conversation guides, the taxonomy, access requests and OAuth
clients (applications); a customer's admin manages the users and access requests of
their own organization. For everybody else these pages do not exist.

This module holds the overview and the organizations; users and access requests live in
`admin_user_pages`, templates and the taxonomy in `admin_catalog_pages`, OAuth clients
in `admin_client_pages`."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin.catalog import catalog_admin_router
from portal_gateway.web.admin.clients import client_admin_router
from portal_gateway.web.admin.kit import AdminKit, items, notice
from portal_gateway.web.admin.users import user_admin_router
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.forms import OrganizationForm, field_messages, first_part
from portal_gateway.web.i18n import language

ORGANIZATION_FIELDS = ("name", "priority_contract", "org_wide_visibility", "sla_contract", "active")


def admin_router(web: Web) -> APIRouter:
    kit = AdminKit(web)
    router = APIRouter(include_in_schema=False)

    @router.get("/admin")
    async def overview(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        pending = await web.api(
            viewer, "identity", "GET", "/api/v1/access-requests", params={"state": "pending"}
        )
        return web.render(
            request, "admin/overview.html", viewer=viewer, pending=len(items(pending))
        )

    @router.get("/admin/organizations")
    async def organization_list(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        params: dict[str, Any] = {"limit": 50}
        if cursor := request.query_params.get("cursor", "")[:200]:
            params["cursor"] = cursor
        answer = await web.api(
            viewer, "identity", "GET", "/api/v1/admin/organizations", params=params
        )
        page = answer.json() if answer.status_code == 200 else {"items": [], "next_cursor": None}
        return web.render(
            request,
            "admin/organizations.html",
            viewer=viewer,
            page=page,
            failed=answer.status_code != 200,
            notice=notice(request),
        )

    def organization_form(
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

    def messages(request: Request) -> Any:
        locate = first_part({f: f for f in ORGANIZATION_FIELDS})
        return lambda answer: field_messages(answer, language(request), locate, conflict="name")

    @router.get("/admin/organizations/new")
    async def new_organization(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return organization_form(request, viewer, OrganizationForm())

    @router.get("/admin/organizations/{organization_id}")
    async def edit_organization(request: Request, organization_id: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(organization_id):
            return kit.missing(request, viewer)
        answer = await web.api(
            viewer, "identity", "GET", f"/api/v1/admin/organizations/{organization_id}"
        )
        if answer.status_code != 200:
            return kit.missing(request, viewer)
        form = OrganizationForm.of(answer.json())
        return organization_form(request, viewer, form, organization_id)

    @router.post("/admin/organizations/{organization_id}")
    async def save_organization(request: Request, organization_id: str) -> Response:
        """Creates (`new`) or changes an organization."""
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        creating = organization_id == "new"
        if not creating and not is_uuid(organization_id):
            return kit.missing(request, viewer)
        form = OrganizationForm.posted(submission)
        shown_id = None if creating else organization_id

        def send() -> Any:
            if creating:
                path = "/api/v1/admin/organizations"
                return web.api(viewer, "identity", "POST", path, json=form.body(editing=False))
            path = f"/api/v1/admin/organizations/{organization_id}"
            return web.api(viewer, "identity", "PATCH", path, json=form.body(editing=True))

        def finish(_answer: httpx.Response) -> Response:
            what = "org_created" if creating else "org_saved"
            return kit.done(request, viewer, "/admin/organizations", what, form.name)

        return await kit.submit(
            request,
            submission,
            show=lambda errors, status: organization_form(
                request, viewer, form, shown_id, errors, status
            ),
            send=send,
            messages=messages(request),
            success=201 if creating else 200,
            finish=finish,
        )

    router.include_router(user_admin_router(kit))
    router.include_router(catalog_admin_router(kit))
    router.include_router(client_admin_router(kit))
    return router
