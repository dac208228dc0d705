"""The gateway's own pages: sign-in, sign-out and the start page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from portal_chassis.auth import client_address
from portal_chassis.errors import Unauthorized
from portal_gateway.i18n import TEXTS, language, translate
from portal_gateway.sessions import CSRF_COOKIE, Sessions

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def _safe_next(value: str | None) -> str:
    # Only same-site paths: never an open redirect to another host.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def pages_router(sessions: Sessions) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        lang = language(request)
        response = templates.TemplateResponse(
            request, name, {"t": TEXTS[lang], "lang": lang, **context}, status_code=status
        )
        token = context.get("csrf_token")
        if token and request.cookies.get(CSRF_COOKIE) != token:
            sessions.set_csrf(response, token)
        if request.query_params.get("lang") == lang:
            response.set_cookie("portal_lang", lang, max_age=365 * 24 * 3600, samesite="lax")
        return response

    csrf = sessions.csrf_token

    @router.get("/")
    async def home(request: Request) -> HTMLResponse:
        username = None
        session = await sessions.from_cookies(request)
        if session is not None:
            try:
                username = (await sessions.verifier.verify(session[0])).username
            except Unauthorized:
                username = None
        return render(request, "home.html", username=username, csrf_token=csrf(request))

    @router.get("/login")
    async def login_form(request: Request) -> HTMLResponse:
        return render(
            request,
            "login.html",
            csrf_token=csrf(request),
            next=_safe_next(request.query_params.get("next")),
            username="",
            remember=False,
            errors=[],
        )

    @router.post("/login")
    async def login(request: Request) -> Response:
        form = await request.form()
        lang = language(request)
        username = str(form.get("username", ""))
        remember = form.get("remember_me") == "1"
        target = _safe_next(str(form.get("next", "")))
        token = csrf(request)
        if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
            return render(
                request,
                "login.html",
                403,
                csrf_token=token,
                next=target,
                username=username,
                remember=remember,
                errors=[TEXTS[lang]["session_expired"]],
            )
        answer = await sessions.sign_in(
            username, str(form.get("password", "")), remember, client=client_address(request)
        )
        if answer.status_code != 200:
            problem = answer.json()
            messages = [e["message"] for e in problem.get("errors", [])] or [
                problem.get("detail") or problem.get("title", "")
            ]
            response = render(
                request,
                "login.html",
                answer.status_code,
                csrf_token=token,
                next=target,
                username=username,
                remember=remember,
                errors=[translate(m, lang) for m in messages],
            )
            if retry := answer.headers.get("retry-after"):
                response.headers["Retry-After"] = retry
            return response
        response = RedirectResponse(target, status_code=303)
        sessions.set_tokens(response, answer.json(), remember=remember)
        return response

    @router.post("/logout")
    async def logout(request: Request) -> Response:
        form = await request.form()
        if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
            return RedirectResponse("/", status_code=303)
        await sessions.sign_out(request)
        response = RedirectResponse("/login", status_code=303)
        sessions.clear(response)
        return response

    return router
