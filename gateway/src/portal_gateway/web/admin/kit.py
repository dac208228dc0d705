"""What every administration page shares: who may see it, the messages after an action,
and the one shape of a form that is posted to a service."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, Organization
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

NOTICES = {
    "org_created": "admin_done_org_created",
    "org_saved": "admin_done_org_saved",
    "user_created": "admin_done_user_created",
    "user_invited": "admin_done_user_invited",
    "user_saved": "admin_done_user_saved",
    "user_deactivated": "admin_done_user_deactivated",
    "user_reactivated": "admin_done_user_reactivated",
    "invitation_sent": "admin_done_invitation_sent",
    "approved": "admin_done_approved",
    "rejected": "admin_done_rejected",
    "requested": "admin_done_requested",
    "template_created": "admin_done_template_created",
    "template_saved": "admin_done_template_saved",
    "area_saved": "admin_done_area_saved",
    "client_revoked": "admin_done_client_revoked",
    "mfa_policy_saved": "admin_security_saved",
    "mfa_reset": "admin_done_mfa_reset",
}
# What a notice may name (shown escaped): a name, never a whole text from a crafted link.
SUBJECT = re.compile(r"^[^\x00-\x1f]{1,100}$")

R = TypeVar("R")
# A form shown again with messages: (messages by field, status) -> the page.
ShowForm = Callable[[dict[str, str], int], "Response | Awaitable[Response]"]


def notice(request: Request) -> str | None:
    """The message after a finished action (`?done=`), naming what it was about."""
    key = NOTICES.get(request.query_params.get("done", ""))
    if key is None:
        return None
    subject = request.query_params.get("subject", "")
    subject = subject if SUBJECT.match(subject) else ""
    return TEXTS[language(request)][key].format(subject=subject)


def refused(
    web: Web, request: Request, viewer: Viewer, *, admin_only: bool = False
) -> Response | None:
    """Sign in first; and for anybody who is neither the vendor's admin nor (where
    allowed) a customer's admin, the page does not exist."""
    if viewer.actor is None:
        return sign_in_first(request)
    allowed = viewer.is_admin or (
        not admin_only and viewer.actor.has_role("customer_admin") and not viewer.is_staff
    )
    return None if allowed else missing(web, request, viewer)


def missing(web: Web, request: Request, viewer: Viewer) -> HTMLResponse:
    return web.render(request, "admin/missing.html", 404, viewer=viewer)


def done(
    web: Web, request: Request, viewer: Viewer, path: str, what: str, subject: str = ""
) -> Response:
    query = urlencode({"done": what, **({"subject": subject} if subject else {})})
    return web.redirect(request, viewer, f"{path}?{query}")


def expired(request: Request) -> dict[str, str]:
    return {"": TEXTS[language(request)]["session_expired"]}


async def organizations(web: Web, viewer: Viewer) -> list[Organization]:
    """Organizations for a choice (the vendor's staff only; none when identity fails)."""
    if not viewer.is_staff:
        return []
    try:
        return (await web.client(IdentityClient, viewer).organizations(limit=200)).items
    except ServiceError:
        return []


async def submit(
    web: Web,
    request: Request,
    submission: Submission,
    *,
    show: ShowForm,
    send: Callable[[], Awaitable[R]],
    messages: Callable[[ServiceError], dict[str, str]],
    finish: Callable[[R], Response],
) -> Response:
    """A posted form: refused without its CSRF token, sent to the service, then the
    next page, or the form again with the service's messages (404 when the thing
    edited is gone)."""
    if not submission.csrf_ok:
        return await _page(show(expired(request), 403))
    try:
        result = await send()
    except ServiceError as error:
        if error.missing:
            return missing(web, request, submission.viewer)
        return await _page(show(messages(error), form_status(error)))
    return finish(result)


async def _page(page: Response | Awaitable[Response]) -> Response:
    return await page if inspect.isawaitable(page) else page
