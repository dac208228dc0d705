"""Administration of people: users (create, change, deactivate, invite again) and access
requests. The vendor's admins see everybody; a customer's admin their organization."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.admin.kit import AdminKit, items, notice
from portal_gateway.web.base import Viewer, is_uuid
from portal_gateway.web.forms import (
    CUSTOMER_ROLES,
    ROLES,
    AccessRequestForm,
    UserForm,
    checked,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.web.i18n import TEXTS, language

USER_FIELDS = ("username", "email", "display_name", "organization_id", "language", "roles")
REQUEST_FIELDS = ("username", "email", "display_name", "language", "role", "note")


def user_admin_router(kit: AdminKit) -> APIRouter:
    web = kit.web
    router = APIRouter(include_in_schema=False)

    # --- users ----------------------------------------------------------------------

    async def user_list_page(
        request: Request,
        viewer: Viewer,
        *,
        alert: str | None = None,
        status: int = 200,
        query: dict[str, str] | None = None,
    ) -> HTMLResponse:
        query = query if query is not None else dict(request.query_params)
        params: dict[str, Any] = {"limit": 50}
        organization = query.get("organization", "")
        if viewer.is_admin and is_uuid(organization):
            params["organization_id"] = organization
        if cursor := query.get("cursor", "")[:64]:
            params["cursor"] = cursor
        users, orgs = await asyncio.gather(
            web.api(viewer, "identity", "GET", "/api/v1/admin/users", params=params),
            kit.organizations(viewer),
        )
        page = users.json() if users.status_code == 200 else {"items": [], "next_cursor": None}
        return web.render(
            request,
            "admin/users.html",
            status,
            viewer=viewer,
            page=page,
            organizations=orgs,
            organization=params.get("organization_id", ""),
            failed=users.status_code != 200,
            notice=None if alert else notice(request),
            alert=alert,
        )

    @router.get("/admin/users")
    async def user_list(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        return await user_list_page(request, viewer)

    async def user_form(
        request: Request,
        viewer: Viewer,
        form: UserForm,
        errors: dict[str, str] | None = None,
        status: int = 200,
        *,
        user_id: str | None = None,
    ) -> HTMLResponse:
        own_name = ""
        if not viewer.is_admin and viewer.actor and viewer.actor.organization_id:
            own = await web.api(
                viewer,
                "identity",
                "GET",
                f"/api/v1/admin/organizations/{viewer.actor.organization_id}",
            )
            own_name = own.json().get("name", "") if own.status_code == 200 else ""
        return web.render(
            request,
            "admin/user_form.html",
            status,
            viewer=viewer,
            form=form,
            user_id=user_id,
            errors=errors or {},
            organizations=await kit.organizations(viewer),
            own_organization=own_name,
            roles=ROLES if viewer.is_admin else CUSTOMER_ROLES,
        )

    def user_messages(request: Request) -> Callable[[httpx.Response], dict[str, str]]:
        locate = first_part({**{f: f for f in USER_FIELDS}, "password": "password"})
        return lambda answer: field_messages(answer, language(request), locate, conflict="username")

    @router.get("/admin/users/new")
    async def new_user(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        organization = request.query_params.get("organization", "")
        form = UserForm(organization_id=organization if is_uuid(organization) else "")
        return await user_form(request, viewer, form)

    @router.post("/admin/users/new")
    async def create_user(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        form = UserForm.posted(submission)
        own = None
        if not viewer.is_admin and viewer.actor and viewer.actor.organization_id:
            own = str(viewer.actor.organization_id)
        return await kit.submit(
            request,
            submission,
            show=lambda errors, status: user_form(request, viewer, form, errors, status),
            send=lambda: web.api(
                viewer,
                "identity",
                "POST",
                "/api/v1/admin/users",
                json=form.body(own_organization=own),
            ),
            messages=user_messages(request),
            success=201,
            finish=lambda _answer: kit.done(
                request,
                viewer,
                "/admin/users",
                "user_created" if form.password else "user_invited",
                form.username,
            ),
        )

    @router.get("/admin/users/{user_id}")
    async def edit_user(request: Request, user_id: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        if not is_uuid(user_id):
            return kit.missing(request, viewer)
        answer = await web.api(viewer, "identity", "GET", f"/api/v1/admin/users/{user_id}")
        if answer.status_code != 200:
            return kit.missing(request, viewer)
        return await user_form(request, viewer, UserForm.of(answer.json()), user_id=user_id)

    @router.post("/admin/users/{user_id}")
    async def save_user(request: Request, user_id: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        if not is_uuid(user_id):
            return kit.missing(request, viewer)
        form = UserForm.posted(submission)
        return await kit.submit(
            request,
            submission,
            show=lambda errors, status: user_form(
                request, viewer, form, errors, status, user_id=user_id
            ),
            send=lambda: web.api(
                viewer, "identity", "PATCH", f"/api/v1/admin/users/{user_id}", json=form.changes()
            ),
            messages=user_messages(request),
            success=200,
            finish=lambda answer: kit.done(
                request, viewer, "/admin/users", "user_saved", answer.json()["username"]
            ),
        )

    async def user_action(
        request: Request, user_id: str, call: Callable[[Viewer], Awaitable[Any]], what: str
    ) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        if not is_uuid(user_id):
            return kit.missing(request, viewer)
        lang = language(request)
        if not submission.csrf_ok:
            return await user_list_page(
                request, viewer, alert=TEXTS[lang]["session_expired"], status=403, query={}
            )
        answer = await call(viewer)
        if answer.status_code >= 300:
            message = field_messages(answer, lang, lambda _path: None)[""]
            return await user_list_page(
                request, viewer, alert=message, status=form_status(answer), query={}
            )
        return kit.done(request, viewer, "/admin/users", what, submission.text("username", 64))

    @router.post("/admin/users/{user_id}/active")
    async def set_active(request: Request, user_id: str) -> Response:
        form = await request.form()
        active = checked(form, "active")

        async def call(viewer: Viewer) -> Any:
            path = f"/api/v1/admin/users/{user_id}"
            return await web.api(viewer, "identity", "PATCH", path, json={"active": active})

        what = "user_reactivated" if active else "user_deactivated"
        return await user_action(request, user_id, call, what)

    @router.post("/admin/users/{user_id}/invitation")
    async def resend_invitation(request: Request, user_id: str) -> Response:
        async def call(viewer: Viewer) -> Any:
            path = f"/api/v1/admin/users/{user_id}/invitation"
            return await web.api(viewer, "identity", "POST", path)

        return await user_action(request, user_id, call, "invitation_sent")

    # --- access requests ------------------------------------------------------------

    async def requests_page(
        request: Request,
        viewer: Viewer,
        *,
        form: AccessRequestForm | None = None,
        errors: dict[str, str] | None = None,
        alert: str | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        pending, orgs = await asyncio.gather(
            web.api(
                viewer, "identity", "GET", "/api/v1/access-requests", params={"state": "pending"}
            ),
            kit.organizations(viewer),
        )
        return web.render(
            request,
            "admin/access_requests.html",
            status,
            viewer=viewer,
            requests=items(pending),
            failed=pending.status_code != 200,
            organization_names={o["id"]: o["name"] for o in orgs},
            form=form or AccessRequestForm(),
            errors=errors or {},
            alert=alert,
            notice=None if alert or errors else notice(request),
        )

    @router.get("/admin/access-requests")
    async def access_requests(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        return await requests_page(request, viewer)

    @router.post("/admin/access-requests/new")
    async def request_access(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer)) is not None:
            return refusal
        form = AccessRequestForm.posted(submission)
        locate = first_part({f: f"request-{f}" for f in REQUEST_FIELDS})
        return await kit.submit(
            request,
            submission,
            show=lambda errors, status: requests_page(
                request, viewer, form=form, errors=errors, status=status
            ),
            send=lambda: web.api(
                viewer, "identity", "POST", "/api/v1/access-requests", json=form.body()
            ),
            messages=lambda answer: field_messages(
                answer, language(request), locate, conflict="request-username"
            ),
            success=201,
            finish=lambda _answer: kit.done(
                request, viewer, "/admin/access-requests", "requested", form.username
            ),
        )

    async def decide(request: Request, request_id: str, verdict: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := kit.refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(request_id):
            return kit.missing(request, viewer)
        lang = language(request)
        if not submission.csrf_ok:
            alert = TEXTS[lang]["session_expired"]
            return await requests_page(request, viewer, alert=alert, status=403)
        body = {"reason": submission.text("reason", 2000)} if verdict == "reject" else None
        answer = await web.api(
            viewer,
            "identity",
            "POST",
            f"/api/v1/access-requests/{request_id}/{verdict}",
            json=body,
        )
        if answer.status_code != 200:
            message = field_messages(answer, lang, lambda _path: None)[""]
            return await requests_page(request, viewer, alert=message, status=form_status(answer))
        what = "approved" if verdict == "approve" else "rejected"
        return kit.done(request, viewer, "/admin/access-requests", what, answer.json()["username"])

    @router.post("/admin/access-requests/{request_id}/approve")
    async def approve(request: Request, request_id: str) -> Response:
        return await decide(request, request_id, "approve")

    @router.post("/admin/access-requests/{request_id}/reject")
    async def reject(request: Request, request_id: str) -> Response:
        return await decide(request, request_id, "reject")

    return router
