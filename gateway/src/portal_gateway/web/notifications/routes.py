"""Notifications in the browser: the list (newest first, unread marked), marking read,
and the live badge and toasts fed by the event stream (static/live.js)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from portal_gateway.web.base import is_uuid
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.notify import Notifications, NotifyClient
from portal_gateway.web.deps import WebDep

router = APIRouter(include_in_schema=False)


@router.get("/notifications")
async def notifications(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return RedirectResponse("/login?next=/notifications", status_code=303)
    cursor = request.query_params.get("cursor", "")
    unread_only = request.query_params.get("unread") == "1"
    try:
        page = await web.client(NotifyClient, viewer).notifications(
            cursor=cursor if cursor.isdigit() else None, unread_only=unread_only
        )
        failed = False
    except ServiceError:
        page, failed = Notifications(items=[]), True
    return web.render(
        request,
        "notifications.html",
        viewer=viewer,
        page=page,
        unread_only=unread_only,
        failed=failed,
    )


@router.post("/notifications/read")
async def mark_read(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is not None and submission.csrf_ok:
        notify = web.client(NotifyClient, viewer)
        target = submission.text("id")
        try:
            if target == "all":
                await notify.mark_all_read()
            elif is_uuid(target):
                await notify.mark_read(target)
        except ServiceError:
            pass  # the list shows the notification as it still is
    return web.redirect(request, viewer, "/notifications")
