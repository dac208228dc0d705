"""The start page, sign-in and sign-out (a sign-in's second step, the code, is in
`second_step.py`)."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.edge.proxy import caller_address
from portal_gateway.edge.second_factor import PendingSignIn, factors_of, mfa_token_of
from portal_gateway.web.base import Viewer, Web
from portal_gateway.web.clients.base import ServiceError, problem_messages
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.clients.tickets import PRIORITIES, Summary, Ticket, TicketsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import LANGUAGES, TEXTS, language
from portal_gateway.web.timezones import remember_time_zone

LANG_COOKIE_SECONDS = 365 * 24 * 3600
# Notices the sign-in page shows by name (never text taken from the address).
LOGIN_NOTICES = ("password_set", "signed_out", "code_expired")
# The home page's counters list a postponed ticket before the closed ones.
HOME_STATUSES = ("in_progress", "answer_expected", "postponed", "closed")
# The start page's list: the viewer's own open tickets, newest first.
MY_OPEN_TICKETS = {"scope": "mine", "state": "open", "limit": "5"}

router = APIRouter(include_in_schema=False)


def safe_next(value: str | None) -> str:
    """Only a path of this site: never an open redirect to another host. Browsers drop
    tabs and line breaks from an address and read a backslash as a slash, so "/\t/evil"
    would be "//evil": any control character or backslash is refused."""
    if (
        value
        and value.startswith("/")
        and not value.startswith("//")
        and "\\" not in value
        and value.isprintable()
        and not urlsplit(value).netloc
    ):
        return value
    return "/"


def remember_language(response: Response, lang: str | None) -> None:
    """Keep the reader's language in the cookie every page reads it from."""
    if lang in LANGUAGES:
        response.set_cookie(
            "portal_lang", lang, max_age=LANG_COOKIE_SECONDS, samesite="lax", path="/"
        )


async def _summary(tickets: TicketsClient) -> Summary | None:
    try:
        # The counters the list page shows by default: the viewer's organization.
        return await tickets.summary("organization")
    except ServiceError:
        return None


async def _open_tickets(tickets: TicketsClient) -> list[Ticket]:
    try:
        return (await tickets.tickets(MY_OPEN_TICKETS)).items
    except ServiceError:
        return []


@router.get("/")
async def home(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return web.render(request, "home.html", viewer=viewer, summary=None, open_tickets=[])
    tickets = web.client(TicketsClient, viewer)
    summary, mine = await asyncio.gather(_summary(tickets), _open_tickets(tickets))
    return web.render(
        request,
        "home.html",
        viewer=viewer,
        summary=summary,
        open_tickets=mine,
        priorities=PRIORITIES,
        statuses=HOME_STATUSES,
    )


def _login_page(
    web: Web,
    request: Request,
    status: int = 200,
    *,
    target: str,
    username: str = "",
    remember: bool = False,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    notice = request.query_params.get("notice")
    return web.render(
        request,
        "login.html",
        status,
        csrf_token=web.sessions.csrf_token(request),
        next=target,
        username=username,
        remember=remember,
        errors=errors or {},
        notice=notice if notice in LOGIN_NOTICES and status == 200 else None,
    )


@router.get("/login", response_model=None)
async def login_form(request: Request, web: WebDep) -> Response:
    target = safe_next(request.query_params.get("next"))
    viewer = await web.viewer(request)
    if viewer.actor is not None:
        return web.redirect(request, viewer, target)
    return _login_page(web, request, target=target)


async def keep_sign_in(
    web: Web, response: Response, tokens: dict[str, Any], *, remember: bool, device: str
) -> None:
    """What every sign-in (password, code, passkey) leaves in the browser: the session's
    cookies, the device cookie, and the profile's language and time zone."""
    web.sessions.set_tokens(response, tokens, remember=remember)
    web.sessions.keep_device(response, device)
    await take_profile_settings(web, response, tokens["access_token"])


async def take_profile_settings(web: Web, response: Response, access_token: str) -> None:
    """The profile's language and time zone become the portal's from now on."""
    try:
        me = await web.client(IdentityClient, Viewer(token=access_token)).me()
    except ServiceError:
        return
    remember_language(response, me.language)
    remember_time_zone(response, me.time_zone)


@router.post("/login")
async def login(request: Request, web: WebDep) -> Response:
    form = await request.form()
    lang = language(request)
    username = str(form.get("username", ""))[:200]
    remember = form.get("remember_me") == "1"
    target = safe_next(str(form.get("next", "")))
    sessions = web.sessions

    def again(status: int, errors: dict[str, str]) -> HTMLResponse:
        return _login_page(
            web,
            request,
            status,
            target=target,
            username=username,
            remember=remember,
            errors=errors,
        )

    if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
        return again(403, {"": TEXTS[lang]["session_expired"]})
    # The sign-in is the edge's (it sets the session cookies), not a page's service call.
    device = sessions.device(request)
    answer = await sessions.sign_in(
        username,
        str(form.get("password", "")),
        remember,
        client=caller_address(request),
        user_agent=request.headers.get("user-agent", ""),
        device=device,
    )
    if mfa_token := mfa_token_of(answer):
        # The password is right; the code comes next. Its token stays on the server.
        step = RedirectResponse("/login/code", status_code=303)
        pending = PendingSignIn(mfa_token, username, remember, target, factors_of(answer))
        await sessions.hold_second_step(step, pending)
        sessions.keep_device(step, device)  # the second step names the same browser
        return step
    if answer.status_code != 200:
        status = answer.status_code if 400 <= answer.status_code < 500 else 503
        refused = again(status, problem_messages(answer, lang))
        if retry := answer.headers.get("retry-after"):
            refused.headers["Retry-After"] = retry
        return refused
    response = RedirectResponse(target, status_code=303)
    await keep_sign_in(web, response, answer.json(), remember=remember, device=device)
    return response


@router.post("/logout")
async def logout(request: Request, web: WebDep) -> Response:
    form = await request.form()
    sessions = web.sessions
    if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
        return RedirectResponse("/", status_code=303)
    await sessions.sign_out(request)
    response = RedirectResponse("/login?notice=signed_out", status_code=303)
    sessions.clear(response)
    return response
