"""Signing in with a passkey, for the page's script (`static/passkeys.js`): "Sign in with
a passkey" on the sign-in page (no user name, no password) and "Use a passkey instead" in
the second step. Each is two JSON calls: the options for `navigator.credentials.get()`,
then its answer, which identity checks. Once it is right the session's cookies are set
here, as after the password (the tokens never reach the page); a refusal comes back as a
sentence in the reader's language."""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from portal_gateway.edge.proxy import caller_address
from portal_gateway.edge.second_factor import (
    PASSKEY_CHALLENGE_INVALID,
    PASSKEY_REFUSED,
    TOKEN_INVALID,
    PendingSignIn,
    problem_type,
)
from portal_gateway.edge.sessions import client_headers
from portal_gateway.web.base import Web
from portal_gateway.web.deps import WebDep
from portal_gateway.web.home.routes import keep_sign_in, safe_next
from portal_gateway.web.i18n import TEXTS, language, plural

router = APIRouter(include_in_schema=False)

NO_STORE = {"Cache-Control": "no-store"}


def _said(lang: str, key: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        {"message": TEXTS[lang][key]}, status_code=status, headers={**NO_STORE, **(headers or {})}
    )


def _throttled(answer: httpx.Response, lang: str) -> JSONResponse:
    """The throttle's wait in whole minutes (at least one)."""
    retry = answer.headers.get("retry-after", "60")
    try:
        minutes = max(1, math.ceil(int(retry) / 60))
    except ValueError:
        minutes = 1
    text = plural(TEXTS[lang], "mfa_throttled", minutes)
    return JSONResponse(
        {"message": text}, status_code=429, headers={**NO_STORE, "Retry-After": retry}
    )


def _refusal(answer: httpx.Response, lang: str) -> JSONResponse:
    kind = problem_type(answer)
    if answer.status_code == 429:
        return _throttled(answer, lang)
    if kind == PASSKEY_CHALLENGE_INVALID:
        return _said(lang, "passkey_expired", 400)
    if kind in PASSKEY_REFUSED or answer.status_code in (401, 409, 422):
        return _said(lang, "passkey_refused", 401)
    return _said(lang, "service_unavailable", 503)


def _options(answer: httpx.Response, lang: str) -> JSONResponse:
    if answer.status_code != 200:
        return _refusal(answer, lang)
    body = answer.json()
    offer = {"challenge_id": body["challenge_id"], "options": body["options"]}
    return JSONResponse(offer, headers=NO_STORE)


async def _answer(request: Request) -> dict[str, Any] | None:
    """The script's JSON body, or None when it is not an object."""
    try:
        body = await request.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _headers(request: Request, device: str = "") -> dict[str, str]:
    user_agent = request.headers.get("user-agent", "")
    return client_headers(caller_address(request), user_agent, device)


async def _signed_in(
    web: Web, request: Request, tokens: dict[str, Any], *, target: str, remember: bool, device: str
) -> JSONResponse:
    """Where the page goes now, with the session's cookies set as after a password."""
    response = JSONResponse({"redirect": target}, headers=NO_STORE)
    await keep_sign_in(web, response, tokens, remember=remember, device=device)
    return response


@router.post("/login/passkey/options")
async def sign_in_options(request: Request, web: WebDep) -> JSONResponse:
    lang = language(request)
    if not web.sessions.csrf_ok(request):
        return _said(lang, "session_expired", 403)
    answer = await web.sessions.passkey("options", {}, _headers(request))
    return _options(answer, lang)


@router.post("/login/passkey")
async def sign_in(request: Request, web: WebDep) -> JSONResponse:
    lang = language(request)
    sessions = web.sessions
    if not sessions.csrf_ok(request):
        return _said(lang, "session_expired", 403)
    body = await _answer(request)
    if body is None:
        return _said(lang, "passkey_refused", 400)
    remember = body.get("remember_me") is True
    device = sessions.device(request)
    call = {
        "challenge_id": body.get("challenge_id"),
        "credential": body.get("credential"),
        "remember_me": remember,
    }
    answer = await sessions.passkey("sign_in", call, _headers(request, device))
    if answer.status_code != 200:
        return _refusal(answer, lang)
    target = safe_next(body.get("next") if isinstance(body.get("next"), str) else None)
    return await _signed_in(
        web, request, answer.json(), target=target, remember=remember, device=device
    )


async def _step_gone(web: Web, request: Request, target: str = "/") -> JSONResponse:
    """The second step expired (or identity no longer knows it): the password again."""
    query = urlencode({"notice": "code_expired", **({"next": target} if target != "/" else {})})
    response = JSONResponse({"redirect": f"/login?{query}"}, status_code=401, headers=NO_STORE)
    await web.sessions.end_second_step(request, response)
    return response


async def _pending(web: Web, request: Request) -> PendingSignIn | JSONResponse:
    pending = await web.sessions.second_step(request)
    if pending is None:
        return await _step_gone(web, request)
    if not web.sessions.csrf_ok(request):
        return _said(language(request), "session_expired", 403)
    return pending


@router.post("/login/code/passkey-options")
async def step_options(request: Request, web: WebDep) -> JSONResponse:
    pending = await _pending(web, request)
    if isinstance(pending, JSONResponse):
        return pending
    body = {"mfa_token": pending.mfa_token}
    answer = await web.sessions.passkey("step_options", body, _headers(request))
    if problem_type(answer) == TOKEN_INVALID:
        return await _step_gone(web, request, pending.target)
    return _options(answer, language(request))


@router.post("/login/code/passkey")
async def step(request: Request, web: WebDep) -> JSONResponse:
    pending = await _pending(web, request)
    if isinstance(pending, JSONResponse):
        return pending
    lang = language(request)
    body = await _answer(request)
    if body is None:
        return _said(lang, "passkey_refused", 400)
    device = web.sessions.device(request)
    call = {
        "mfa_token": pending.mfa_token,
        "challenge_id": body.get("challenge_id"),
        "credential": body.get("credential"),
    }
    answer = await web.sessions.passkey("step", call, _headers(request, device))
    if problem_type(answer) == TOKEN_INVALID:
        return await _step_gone(web, request, pending.target)
    if answer.status_code != 200:
        return _refusal(answer, lang)
    response = await _signed_in(
        web,
        request,
        answer.json(),
        target=pending.target,
        remember=pending.remember,
        device=device,
    )
    await web.sessions.end_second_step(request, response)
    return response
