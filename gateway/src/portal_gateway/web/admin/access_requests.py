"""Access requests in the administration: a customer's admin asks for accounts for
colleagues; people without an account ask on the sign-in page. The vendor's admins
decide on every request, a customer's admin on those from the sign-in page whose address
matched their organization: approving chooses the organization (the vendor's admins),
the role and the user name, and sends the invitation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Submission, Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError, settle
from portal_gateway.web.clients.identity import AccessRequest, IdentityClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import (
    CUSTOMER_ROLES,
    AccessRequestForm,
    field_messages,
    first_part,
    form_status,
)
from portal_gateway.web.i18n import TEXTS, language

REQUEST_FIELDS = ("username", "email", "display_name", "language", "role", "note")

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Approval:
    """An approval form as posted (shown again with its messages when refused). Its
    fields' ids carry the request's id: every request on the page has its own form."""

    request_id: str
    organization_id: str = ""
    role: str = "customer"
    username: str = ""

    @classmethod
    def posted(cls, request_id: str, submission: Submission) -> Approval:
        organization, role = submission.text("organization_id", 64), submission.text("role")
        return cls(
            request_id=request_id,
            organization_id=organization if is_uuid(organization) else "",
            role=role if role in CUSTOMER_ROLES else "customer",
            username=submission.text("username", 100),
        )

    def body(self, submission: Submission) -> dict[str, object] | None:
        """What the form chose: a colleague's request posts the button alone."""
        body: dict[str, object] = {}
        if self.organization_id:
            body["organization_id"] = self.organization_id
        if submission.form.get("role") is not None:
            body["roles"] = [self.role]
        if self.username:
            body["username"] = self.username
        return body or None

    def field_ids(self) -> dict[str, str]:
        return {
            "organization_id": f"org-{self.request_id}",
            "roles": f"role-{self.request_id}",
            "username": f"username-{self.request_id}",
        }


async def _own_organization_name(web: Web, viewer: Viewer) -> str:
    """A customer admin's organization: where the requests they approve go."""
    if viewer.is_staff or not viewer.actor or not viewer.actor.organization_id:
        return ""
    try:
        found = await web.client(IdentityClient, viewer).organization(
            str(viewer.actor.organization_id)
        )
    except ServiceError:
        return ""
    return found.name


async def _requests_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    *,
    form: AccessRequestForm | None = None,
    errors: dict[str, str] | None = None,
    alert: str | None = None,
    approval: Approval | None = None,
    approval_errors: dict[str, str] | None = None,
    status: int = 200,
) -> HTMLResponse:
    pending, orgs, own_name = await asyncio.gather(
        settle(web.client(IdentityClient, viewer).pending_access_requests()),
        kit.organizations(web, viewer),
        _own_organization_name(web, viewer),
    )
    return web.render(
        request,
        "admin/access_requests.html",
        status,
        viewer=viewer,
        requests=[] if isinstance(pending, ServiceError) else pending.items,
        failed=isinstance(pending, ServiceError),
        organization_options=[(o.id, o.name) for o in orgs],
        organization_names={o.id: o.name for o in orgs},
        own_organization=own_name,
        form=form or AccessRequestForm(),
        errors=errors or {},
        approval=approval,
        approval_errors=approval_errors or {},
        alert=alert,
        notice=None if alert or errors else kit.notice(request),
    )


@router.get("/admin/access-requests")
async def access_requests(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    return await _requests_page(web, request, viewer)


@router.post("/admin/access-requests/new")
async def request_access(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    form = AccessRequestForm.posted(submission)
    locate = first_part({f: f"request-{f}" for f in REQUEST_FIELDS})
    identity = web.client(IdentityClient, viewer)
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _requests_page(
            web, request, viewer, form=form, errors=errors, status=status
        ),
        send=lambda: identity.request_access(form.body()),
        messages=lambda error: field_messages(
            error, language(request), locate, conflict="request-username"
        ),
        finish=lambda _request: kit.done(
            web, request, viewer, "/admin/access-requests", "requested", form.username
        ),
    )


async def _decide(web: Web, request: Request, request_id: str, verdict: str) -> Response:
    """Identity judges who may decide which request; the page lets in whoever may
    decide any (the vendor's admins, customers' admins)."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer)) is not None:
        return refusal
    if not is_uuid(request_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return await _requests_page(web, request, viewer, alert=alert, status=403)
    identity = web.client(IdentityClient, viewer)
    approval = Approval.posted(request_id, submission)
    try:
        decided: AccessRequest = await (
            identity.approve_access_request(request_id, approval.body(submission))
            if verdict == "approve"
            else identity.reject_access_request(request_id, submission.text("reason", 2000))
        )
    except ServiceError as error:
        shown = approval if verdict == "approve" else None
        return await _refused(web, request, viewer, error, shown)
    what = "approved" if verdict == "approve" else "rejected"
    subject = decided.username or decided.display_name
    return kit.done(web, request, viewer, "/admin/access-requests", what, subject)


async def _refused(
    web: Web, request: Request, viewer: Viewer, error: ServiceError, approval: Approval | None
) -> Response:
    """The list again: the refusal on top, an approval's messages at its fields."""
    lang = language(request)
    if approval is None:
        message = field_messages(error, lang, lambda _path: None)[""]
        return await _requests_page(web, request, viewer, alert=message, status=form_status(error))
    ids = approval.field_ids()
    taken = error.status == 409 and "user name" in error.message("en")
    messages = field_messages(
        error, lang, first_part(ids), conflict=ids["username"] if taken else None
    )
    return await _requests_page(
        web,
        request,
        viewer,
        alert=messages.pop(""),
        approval_errors=messages,
        approval=approval,
        status=form_status(error),
    )


@router.post("/admin/access-requests/{request_id}/approve")
async def approve(request: Request, request_id: str, web: WebDep) -> Response:
    return await _decide(web, request, request_id, "approve")


@router.post("/admin/access-requests/{request_id}/reject")
async def reject(request: Request, request_id: str, web: WebDep) -> Response:
    return await _decide(web, request, request_id, "reject")
