"""The viewer's sign-ins in the profile (`/account/sessions`): which browsers and
programs are signed in (device, address, last use, "remember me", this device), ending
one of them, or all but this one. This browser's own sign-in ends with "Sign out"."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.base import Submission, Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import TEXTS, language

PATH = "/account/sessions"
# What the page says after a form, by the `done` of its address.
NOTICES = ("ended", "others", "gone")

router = APIRouter(include_in_schema=False)


async def _page(
    web: Web, request: Request, viewer: Viewer, status: int = 200, *, alert: str | None = None
) -> Response:
    try:
        found = await web.client(IdentityClient, viewer).sessions()
    except ServiceError:
        words = TEXTS[language(request)]
        return web.render(
            request,
            "account/sessions_unavailable.html",
            503,
            viewer=viewer,
            message=words["sessions_unavailable"],
        )
    done = request.query_params.get("done", "")
    notice = TEXTS[language(request)][f"sessions_done_{done}"] if done in NOTICES else None
    return web.render(
        request,
        "account/sessions.html",
        status,
        viewer=viewer,
        sessions=found.items,
        others=[s for s in found.items if not s.current],
        notice=notice,
        alert=alert,
    )


@router.get(PATH, response_model=None)
async def sessions(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    return await _page(web, request, viewer)


async def _signed_in(web: Web, request: Request) -> Submission | Response:
    """The posted form of a signed-in viewer with the right CSRF token, or the answer."""
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is None:
        return sign_in_first(request)
    if not submission.csrf_ok:
        alert = TEXTS[language(request)]["session_expired"]
        return await _page(web, request, viewer, 403, alert=alert)
    return submission


@router.post(f"{PATH}/{{session_id}}/end", response_model=None)
async def end_one(session_id: str, request: Request, web: WebDep) -> Response:
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    viewer = found.viewer
    if not is_uuid(session_id):
        return web.redirect(request, viewer, f"{PATH}?done=gone")
    try:
        await web.client(IdentityClient, viewer).end_session(session_id)
    except ServiceError as error:
        if error.status == 404:
            return web.redirect(request, viewer, f"{PATH}?done=gone")
        alert = error.message(language(request))
        return await _page(web, request, viewer, 503 if error.unavailable else 409, alert=alert)
    return web.redirect(request, viewer, f"{PATH}?done=ended")


@router.post(f"{PATH}/end-others", response_model=None)
async def end_others(request: Request, web: WebDep) -> Response:
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    viewer = found.viewer
    try:
        await web.client(IdentityClient, viewer).end_other_sessions()
    except ServiceError as error:
        alert = error.message(language(request))
        return await _page(web, request, viewer, 503 if error.unavailable else 409, alert=alert)
    return web.redirect(request, viewer, f"{PATH}?done=others")
