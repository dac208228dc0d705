"""Administration in the browser. The vendor's admins manage organizations, users,
templates with their conversation guides, the taxonomy and access requests; a customer's
admin manages the users and access requests of their own organization. For everybody
else these pages do not exist."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.forms import (
    CUSTOMER_ROLES,
    QUESTION_TYPES,
    ROLES,
    AccessRequestForm,
    OrganizationForm,
    TemplateForm,
    UserForm,
    checked,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.i18n import TEXTS, language
from portal_gateway.web import Viewer, Web, is_uuid, sign_in_first

GROUPS = ("incident_report", "service_request", "change_request")
CATEGORIES = ("incident", "service_request", "change_request", "question")
BLANK_QUESTION_ROWS = 2
NOTICES = {
    "org_created": "admin_done_org_created",
    "org_saved": "admin_done_org_saved",
    "user_created": "admin_done_user_created",
    "user_invited": "admin_done_user_invited",
    "user_deactivated": "admin_done_user_deactivated",
    "user_reactivated": "admin_done_user_reactivated",
    "invitation_sent": "admin_done_invitation_sent",
    "approved": "admin_done_approved",
    "rejected": "admin_done_rejected",
    "requested": "admin_done_requested",
    "template_created": "admin_done_template_created",
    "template_saved": "admin_done_template_saved",
    "area_saved": "admin_done_area_saved",
}
# What a notice may name (shown escaped): a name, never a whole text from a crafted link.
SUBJECT = re.compile(r"^[^\x00-\x1f]{1,100}$")


def _items(answer: Any) -> list[dict]:
    return answer.json()["items"] if answer.status_code == 200 else []


def notice(request: Request) -> str | None:
    """The message after a finished action (`?done=`), naming what it was about."""
    key = NOTICES.get(request.query_params.get("done", ""))
    if key is None:
        return None
    subject = request.query_params.get("subject", "")
    subject = subject if SUBJECT.match(subject) else ""
    return TEXTS[language(request)][key].format(subject=subject)


def admin_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def refused(request: Request, viewer: Viewer, *, admin_only: bool = False) -> Response | None:
        if viewer.actor is None:
            return sign_in_first(request)
        allowed = viewer.is_admin or (
            not admin_only and viewer.actor.has_role("customer_admin") and not viewer.is_staff
        )
        if not allowed:
            return web.render(request, "admin/missing.html", 404, viewer=viewer)
        return None

    def missing(request: Request, viewer: Viewer) -> HTMLResponse:
        return web.render(request, "admin/missing.html", 404, viewer=viewer)

    def done(request: Request, viewer: Viewer, path: str, what: str, subject: str = "") -> Response:
        query = urlencode({"done": what, **({"subject": subject} if subject else {})})
        return web.redirect(request, viewer, f"{path}?{query}")

    async def organizations(viewer: Viewer) -> list[dict]:
        if not viewer.is_staff:
            return []
        params = {"limit": 200}
        return _items(
            await web.api(viewer, "identity", "GET", "/api/v1/admin/organizations", params=params)
        )

    # --- overview -------------------------------------------------------------------

    @router.get("/admin")
    async def overview(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        pending = await web.api(
            viewer, "identity", "GET", "/api/v1/access-requests", params={"state": "pending"}
        )
        return web.render(
            request, "admin/overview.html", viewer=viewer, pending=len(_items(pending))
        )

    # --- organizations --------------------------------------------------------------

    @router.get("/admin/organizations")
    async def organization_list(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
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
    ) -> HTMLResponse:
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
    async def new_organization(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return organization_form(request, viewer, OrganizationForm())

    @router.post("/admin/organizations/new")
    async def create_organization(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        form = OrganizationForm.posted(submission)
        if not submission.csrf_ok:
            return organization_form(request, viewer, form, None, expired(request), 403)
        answer = await web.api(
            viewer,
            "identity",
            "POST",
            "/api/v1/admin/organizations",
            json=form.body(editing=False),
        )
        if answer.status_code != 201:
            errors = organization_messages(answer, request)
            return organization_form(request, viewer, form, None, errors, form_status(answer))
        return done(request, viewer, "/admin/organizations", "org_created", form.name)

    @router.get("/admin/organizations/{organization_id}")
    async def edit_organization(request: Request, organization_id: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(organization_id):
            return missing(request, viewer)
        answer = await web.api(
            viewer, "identity", "GET", f"/api/v1/admin/organizations/{organization_id}"
        )
        if answer.status_code != 200:
            return missing(request, viewer)
        form = OrganizationForm.of(answer.json())
        return organization_form(request, viewer, form, organization_id)

    @router.post("/admin/organizations/{organization_id}")
    async def save_organization(request: Request, organization_id: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(organization_id):
            return missing(request, viewer)
        form = OrganizationForm.posted(submission)
        if not submission.csrf_ok:
            return organization_form(request, viewer, form, organization_id, expired(request), 403)
        answer = await web.api(
            viewer,
            "identity",
            "PATCH",
            f"/api/v1/admin/organizations/{organization_id}",
            json=form.body(editing=True),
        )
        if answer.status_code == 404:
            return missing(request, viewer)
        if answer.status_code != 200:
            errors = organization_messages(answer, request)
            return organization_form(
                request, viewer, form, organization_id, errors, form_status(answer)
            )
        return done(request, viewer, "/admin/organizations", "org_saved", form.name)

    def organization_messages(answer: Any, request: Request) -> dict[str, str]:
        fields = ("name", "priority_contract", "org_wide_visibility", "sla_contract", "active")
        return field_messages(
            answer, language(request), first_part({f: f for f in fields}), conflict="name"
        )

    def expired(request: Request) -> dict[str, str]:
        return {"": TEXTS[language(request)]["session_expired"]}

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
            organizations(viewer),
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
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        return await user_list_page(request, viewer)

    async def user_form(
        request: Request,
        viewer: Viewer,
        form: UserForm,
        errors: dict[str, str] | None = None,
        status: int = 200,
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
            errors=errors or {},
            organizations=await organizations(viewer),
            own_organization=own_name,
            roles=ROLES if viewer.is_admin else CUSTOMER_ROLES,
        )

    @router.get("/admin/users/new")
    async def new_user(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        organization = request.query_params.get("organization", "")
        form = UserForm(organization_id=organization if is_uuid(organization) else "")
        return await user_form(request, viewer, form)

    @router.post("/admin/users/new")
    async def create_user(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        form = UserForm.posted(submission)
        if not submission.csrf_ok:
            return await user_form(request, viewer, form, expired(request), 403)
        own = None
        if not viewer.is_admin and viewer.actor and viewer.actor.organization_id:
            own = str(viewer.actor.organization_id)
        answer = await web.api(
            viewer,
            "identity",
            "POST",
            "/api/v1/admin/users",
            json=form.body(own_organization=own),
        )
        if answer.status_code != 201:
            fields = ("username", "email", "display_name", "organization_id", "language")
            locate = first_part(
                {**{f: f for f in fields}, "roles": "roles", "password": "password"}
            )
            errors = field_messages(answer, language(request), locate, conflict="username")
            return await user_form(request, viewer, form, errors, form_status(answer))
        what = "user_created" if form.password else "user_invited"
        return done(request, viewer, "/admin/users", what, form.username)

    async def user_action(
        request: Request, user_id: str, call: Callable[[Viewer], Awaitable[Any]], what: str
    ) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        if not is_uuid(user_id):
            return missing(request, viewer)
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
        return done(request, viewer, "/admin/users", what, submission.text("username", 64))

    @router.post("/admin/users/{user_id}/active")
    async def set_active(request: Request, user_id: str) -> Response:
        form = await request.form()
        active = checked(form, "active")

        async def call(viewer: Viewer) -> Any:
            return await web.api(
                viewer,
                "identity",
                "PATCH",
                f"/api/v1/admin/users/{user_id}",
                json={"active": active},
            )

        what = "user_reactivated" if active else "user_deactivated"
        return await user_action(request, user_id, call, what)

    @router.post("/admin/users/{user_id}/invitation")
    async def resend_invitation(request: Request, user_id: str) -> Response:
        async def call(viewer: Viewer) -> Any:
            return await web.api(
                viewer, "identity", "POST", f"/api/v1/admin/users/{user_id}/invitation"
            )

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
            organizations(viewer),
        )
        return web.render(
            request,
            "admin/access_requests.html",
            status,
            viewer=viewer,
            requests=_items(pending),
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
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        return await requests_page(request, viewer)

    @router.post("/admin/access-requests/new")
    async def request_access(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer)) is not None:
            return refusal
        form = AccessRequestForm.posted(submission)
        if not submission.csrf_ok:
            return await requests_page(
                request, viewer, form=form, errors=expired(request), status=403
            )
        answer = await web.api(
            viewer, "identity", "POST", "/api/v1/access-requests", json=form.body()
        )
        if answer.status_code != 201:
            fields = ("username", "email", "display_name", "language", "role", "note")
            errors = field_messages(
                answer,
                language(request),
                first_part({f: f"request-{f}" for f in fields}),
                conflict="request-username",
            )
            return await requests_page(
                request, viewer, form=form, errors=errors, status=form_status(answer)
            )
        return done(request, viewer, "/admin/access-requests", "requested", form.username)

    async def decide(request: Request, request_id: str, verdict: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(request_id):
            return missing(request, viewer)
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
        return done(request, viewer, "/admin/access-requests", what, answer.json()["username"])

    @router.post("/admin/access-requests/{request_id}/approve")
    async def approve(request: Request, request_id: str) -> Response:
        return await decide(request, request_id, "approve")

    @router.post("/admin/access-requests/{request_id}/reject")
    async def reject(request: Request, request_id: str) -> Response:
        return await decide(request, request_id, "reject")

    # --- templates and conversation guides ------------------------------------------

    async def all_templates(viewer: Viewer) -> list[dict]:
        return _items(await web.api(viewer, "tickets", "GET", "/api/v1/ticket-templates"))

    @router.get("/admin/templates")
    async def template_list(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-templates")
        return web.render(
            request,
            "admin/templates.html",
            viewer=viewer,
            templates=_items(answer),
            failed=answer.status_code != 200,
            notice=notice(request),
        )

    def template_form(
        request: Request,
        viewer: Viewer,
        form: TemplateForm,
        template_id: str | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        blank = BLANK_QUESTION_ROWS if form.rows else BLANK_QUESTION_ROWS + 1
        return web.render(
            request,
            "admin/template_form.html",
            status,
            viewer=viewer,
            form=form,
            rows=form.with_blank_rows(blank),
            next_index=form.next_index() + blank,
            template_id=template_id,
            groups=GROUPS,
            categories=CATEGORIES,
            question_types=QUESTION_TYPES,
            errors=errors or {},
        )

    @router.get("/admin/templates/new")
    async def new_template(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return template_form(request, viewer, TemplateForm())

    @router.post("/admin/templates/new")
    async def create_template(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        form = TemplateForm.posted(submission)
        if not submission.csrf_ok:
            return template_form(request, viewer, form, None, expired(request), 403)
        answer = await web.api(
            viewer, "tickets", "POST", "/api/v1/ticket-templates", json=form.body()
        )
        if answer.status_code != 201:
            errors = field_messages(answer, language(request), form.locate)
            return template_form(request, viewer, form, None, errors, form_status(answer))
        return done(request, viewer, "/admin/templates", "template_created", form.name)

    @router.get("/admin/templates/{template_id}")
    async def edit_template(request: Request, template_id: str) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        found = next((t for t in await all_templates(viewer) if t["id"] == template_id), None)
        if found is None:
            return missing(request, viewer)
        return template_form(request, viewer, TemplateForm.of(found), template_id)

    @router.post("/admin/templates/{template_id}")
    async def save_template(request: Request, template_id: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        if not is_uuid(template_id):
            return missing(request, viewer)
        form = TemplateForm.posted(submission)
        if not submission.csrf_ok:
            return template_form(request, viewer, form, template_id, expired(request), 403)
        answer = await web.api(
            viewer,
            "tickets",
            "PATCH",
            f"/api/v1/ticket-templates/{template_id}",
            json=form.body(),
        )
        if answer.status_code == 404:
            return missing(request, viewer)
        if answer.status_code != 200:
            errors = field_messages(answer, language(request), form.locate)
            return template_form(request, viewer, form, template_id, errors, form_status(answer))
        return done(request, viewer, "/admin/templates", "template_saved", form.name)

    # --- taxonomy -------------------------------------------------------------------

    async def taxonomy_page(
        request: Request,
        viewer: Viewer,
        *,
        edited: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HTMLResponse:
        answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-taxonomy")
        return web.render(
            request,
            "admin/taxonomy.html",
            status,
            viewer=viewer,
            areas=_items(answer),
            failed=answer.status_code != 200,
            edited=edited or {},
            errors=errors or {},
            notice=None if errors else notice(request),
        )

    @router.get("/admin/taxonomy")
    async def taxonomy(request: Request) -> Response:
        viewer = await web.viewer(request)
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        return await taxonomy_page(request, viewer)

    @router.post("/admin/taxonomy")
    async def save_area(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if (refusal := refused(request, viewer, admin_only=True)) is not None:
            return refusal
        edited = {
            "new": submission.text("new") == "1",
            "name": submission.text("name", 200),
            "subtypes": submission.text("subtypes", 20_000),
            "active": checked(submission.form, "active"),
            "slot": submission.text("slot", 6) if submission.text("slot", 6).isdigit() else "0",
        }
        prefix = "new-" if edited["new"] else f"area-{edited['slot']}-"
        lang = language(request)
        if not submission.csrf_ok:
            return await taxonomy_page(
                request, viewer, edited=edited, errors=expired(request), status=403
            )
        if problem := await area_problem(viewer, edited, lang):
            errors = {f"{prefix}name": problem, "": TEXTS[lang]["form_has_errors"]}
            return await taxonomy_page(request, viewer, edited=edited, errors=errors, status=422)
        subtypes = [s.strip() for s in str(edited["subtypes"]).splitlines() if s.strip()]
        answer = await web.api(
            viewer,
            "tickets",
            "PUT",
            f"/api/v1/ticket-taxonomy/{quote(str(edited['name']), safe='')}",
            json={"name": edited["name"], "subtypes": subtypes, "active": edited["active"]},
        )
        if answer.status_code != 200:
            locate = first_part({"name": f"{prefix}name", "subtypes": f"{prefix}subtypes"})
            errors = field_messages(answer, lang, locate)
            return await taxonomy_page(
                request, viewer, edited=edited, errors=errors, status=form_status(answer)
            )
        return done(request, viewer, "/admin/taxonomy", "area_saved", str(edited["name"]))

    async def area_problem(viewer: Viewer, edited: dict[str, Any], lang: str) -> str | None:
        name = str(edited["name"])
        t = TEXTS[lang]
        if not name:
            return t["admin_area_name_needed"]
        if "/" in name or "\\" in name:
            return t["admin_area_name_chars"]
        if edited["new"]:
            answer = await web.api(viewer, "tickets", "GET", "/api/v1/ticket-taxonomy")
            if any(a["name"] == name for a in _items(answer)):
                return t["admin_area_exists"]
        return None

    return router
