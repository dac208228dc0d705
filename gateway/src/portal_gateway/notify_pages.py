"""Notifications in the browser: the list (newest first, unread marked), marking read,
and the live badge and toasts fed by the event stream (static/live.js)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from portal_gateway.web import Web, is_uuid


def notify_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get("/notifications")
    async def notifications(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return RedirectResponse("/login?next=/notifications", status_code=303)
        params = {"limit": "25"}
        cursor = request.query_params.get("cursor", "")
        if cursor.isdigit():
            params["cursor"] = cursor
        if request.query_params.get("unread") == "1":
            params["unread"] = "true"
        answer = await web.api(viewer, "notify", "GET", "/api/v1/notifications", params=params)
        page = (
            answer.json()
            if answer.status_code == 200
            else {"items": [], "next_cursor": None, "unread_count": 0}
        )
        return web.render(
            request,
            "notifications.html",
            viewer=viewer,
            page=page,
            unread_only="unread" in params,
            failed=answer.status_code != 200,
        )

    @router.post("/notifications/read")
    async def mark_read(request: Request) -> Response:
        viewer = await web.viewer(request)
        form = await request.form()
        if viewer.actor is not None and web.sessions.csrf_ok(
            request, str(form.get("csrf_token", ""))
        ):
            target = str(form.get("id", ""))
            if target == "all":
                await web.api(viewer, "notify", "POST", "/api/v1/notifications/read-all")
            elif is_uuid(target):
                await web.api(viewer, "notify", "POST", f"/api/v1/notifications/{target}/read")
        response = RedirectResponse("/notifications", status_code=303)
        web.keep_session(request, response, viewer)
        return response

    return router
