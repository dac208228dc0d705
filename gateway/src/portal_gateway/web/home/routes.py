"""The start page, sign-in and sign-out."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_chassis.auth import client_address
from portal_gateway.web.base import Viewer, Web
from portal_gateway.web.clients.base import problem_messages
from portal_gateway.web.i18n import LANGUAGES, TEXTS, language
from portal_gateway.web.timezones import remember_time_zone

LANG_COOKIE_SECONDS = 365 * 24 * 3600
# Notices the sign-in page shows by name (never text taken from the address).
LOGIN_NOTICES = ("password_set", "signed_out")
PRIORITIES = ("P1", "P2", "P3", "P4")
PORTAL_STATUSES = ("in_progress", "answer_expected", "postponed", "closed")


def _safe_next(value: str | None) -> str:
    # Only same-site paths: never an open redirect to another host.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def remember_language(response: Response, lang: str | None) -> None:
    """Keep the reader's language in the cookie every page reads it from."""
    if lang in LANGUAGES:
        response.set_cookie(
            "portal_lang", lang, max_age=LANG_COOKIE_SECONDS, samesite="lax", path="/"
        )


def pages_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    sessions = web.sessions
    render = web.render
    csrf = sessions.csrf_token

    @router.get("/")
    async def home(request: Request) -> HTMLResponse:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return render(request, "home.html", viewer=viewer, summary=None, open_tickets=[])
        summary, mine = await asyncio.gather(
            web.api(viewer, "tickets", "GET", "/api/v1/tickets/summary"),
            web.api(
                viewer,
                "tickets",
                "GET",
                "/api/v1/tickets",
                params={"scope": "mine", "state": "open", "limit": "5"},
            ),
        )
        return render(
            request,
            "home.html",
            viewer=viewer,
            summary=summary.json() if summary.status_code == 200 else None,
            open_tickets=mine.json()["items"] if mine.status_code == 200 else [],
            priorities=PRIORITIES,
            statuses=PORTAL_STATUSES,
        )

    def login_page(
        request: Request,
        status: int = 200,
        *,
        target: str,
        username: str = "",
        remember: bool = False,
        errors: dict[str, str] | None = None,
    ) -> HTMLResponse:
        notice = request.query_params.get("notice")
        return render(
            request,
            "login.html",
            status,
            csrf_token=csrf(request),
            next=target,
            username=username,
            remember=remember,
            errors=errors or {},
            notice=notice if notice in LOGIN_NOTICES and status == 200 else None,
        )

    @router.get("/login", response_model=None)
    async def login_form(request: Request) -> Response:
        target = _safe_next(request.query_params.get("next"))
        viewer = await web.viewer(request)
        if viewer.actor is not None:
            return web.redirect(request, viewer, target)
        return login_page(request, target=target)

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        lang = language(request)
        username = str(form.get("username", ""))[:200]
        remember = form.get("remember_me") == "1"
        target = _safe_next(str(form.get("next", "")))
        if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
            return login_page(
                request,
                403,
                target=target,
                username=username,
                remember=remember,
                errors={"": TEXTS[lang]["session_expired"]},
            )
        answer = await sessions.sign_in(
            username, str(form.get("password", "")), remember, client=client_address(request)
        )
        if answer.status_code != 200:
            response = login_page(
                request,
                answer.status_code if 400 <= answer.status_code < 500 else 503,
                target=target,
                username=username,
                remember=remember,
                errors=problem_messages(answer, lang),
            )
            if retry := answer.headers.get("retry-after"):
                response.headers["Retry-After"] = retry
            return response
        tokens = answer.json()
        response = RedirectResponse(target, status_code=303)
        sessions.set_tokens(response, tokens, remember=remember)
        # The profile's language becomes the portal's from now on.
        me = await web.api(Viewer(token=tokens["access_token"]), "identity", "GET", "/api/v1/me")
        if me.status_code == 200:
            remember_language(response, me.json().get("language"))
            remember_time_zone(response, me.json().get("time_zone"))
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await request.form()
        if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
            return RedirectResponse("/", status_code=303)
        await sessions.sign_out(request)
        response = RedirectResponse("/login?notice=signed_out", status_code=303)
        sessions.clear(response)
        return response

    return router
