"""Two-factor sign-in in the administration (the vendor's admins only): the policy,
which roles require a second factor (`/admin/security`), and the reset of a user's
second factor (a button on the user's page, confirmed before it is done)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.admin import kit
from portal_gateway.web.base import Viewer, Web, is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import field_messages, first_part, form_status
from portal_gateway.web.i18n import TEXTS, language

PATH = "/admin/security"
# The roles of the policy, in the order of the page: the vendor's first, as they see most.
POLICY_ROLES = ("admin", "agent", "customer_admin", "customer")

router = APIRouter(include_in_schema=False)


def _policy_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    required: list[str],
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
    failed: bool = False,
) -> Response:
    return web.render(
        request,
        "admin/security.html",
        status,
        viewer=viewer,
        roles=POLICY_ROLES,
        required=required,
        errors=errors or {},
        failed=failed,
        notice=kit.notice(request) if status == 200 else None,
    )


@router.get(PATH)
async def policy(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    try:
        found = await web.client(IdentityClient, viewer).mfa_policy()
    except ServiceError:
        return _policy_page(web, request, viewer, [], status=503, failed=True)
    return _policy_page(web, request, viewer, found.required_roles)


@router.post(PATH)
async def save_policy(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    required = [r for r in POLICY_ROLES if r in submission.form.getlist("required_roles")]
    identity = web.client(IdentityClient, viewer)
    locate = first_part({"required_roles": "required_roles"})
    return await kit.submit(
        web,
        request,
        submission,
        show=lambda errors, status: _policy_page(
            web, request, viewer, required, errors=errors, status=status
        ),
        send=lambda: identity.set_mfa_policy(required),
        messages=lambda error: field_messages(error, language(request), locate),
        finish=lambda _none: kit.done(web, request, viewer, PATH, "mfa_policy_saved"),
    )


# -- a user's second factor ------------------------------------------------------------------


async def _confirmation(
    web: Web,
    request: Request,
    viewer: Viewer,
    user_id: str,
    *,
    alert: str | None = None,
    status: int = 200,
) -> Response:
    """The page that asks before the reset (a post without the answer: an old page, a
    browser without <details>), or says why it failed."""
    try:
        user = await web.client(IdentityClient, viewer).user(user_id)
    except ServiceError:
        return kit.missing(web, request, viewer)
    return web.render(
        request,
        "admin/mfa_reset.html",
        status,
        viewer=viewer,
        user=user,
        alert=alert,
    )


@router.post("/admin/users/{user_id}/mfa/reset")
async def reset_second_factor(request: Request, user_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if (refusal := kit.refused(web, request, viewer, admin_only=True)) is not None:
        return refusal
    if not is_uuid(user_id):
        return kit.missing(web, request, viewer)
    lang = language(request)
    if not submission.csrf_ok:
        alert = TEXTS[lang]["session_expired"]
        return await _confirmation(web, request, viewer, user_id, alert=alert, status=403)
    if submission.text("confirm", 8) != "yes":
        return await _confirmation(web, request, viewer, user_id)
    try:
        await web.client(IdentityClient, viewer).reset_user_mfa(user_id)
    except ServiceError as error:
        if error.missing:
            return kit.missing(web, request, viewer)
        alert = error.message(lang)
        return await _confirmation(
            web, request, viewer, user_id, alert=alert, status=form_status(error)
        )
    username = submission.text("username", 64)
    return kit.done(web, request, viewer, f"/admin/users/{user_id}", "mfa_reset", username)
