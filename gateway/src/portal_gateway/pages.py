"""The account pages: sign-in, sign-out and the start page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_chassis.auth import client_address
from portal_gateway.i18n import TEXTS, language, translate
from portal_gateway.web import Web


def _safe_next(value: str | None) -> str:
    # Only same-site paths: never an open redirect to another host.
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def pages_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    sessions = web.sessions
    render = web.render
    csrf = sessions.csrf_token

    @router.get("/")
    async def home(request: Request) -> HTMLResponse:
        viewer = await web.viewer(request)
        username = viewer.actor.username if viewer.actor else None
        return render(request, "home.html", viewer=viewer, username=username)

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
