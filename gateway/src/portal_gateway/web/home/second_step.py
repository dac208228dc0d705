"""The sign-in's second step: after the password, a code from the authenticator app (or
one of the recovery codes). The password step (`routes.py`) left identity's `mfa_token`
on the server (`edge/second_factor.py`) with the target and "remember me"; this page
asks for the code and completes the sign-in with it."""

from __future__ import annotations

import math
import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from portal_gateway.edge.proxy import caller_address
from portal_gateway.edge.second_factor import INVALID_CODE, PendingSignIn, problem_type
from portal_gateway.web.base import Web
from portal_gateway.web.deps import WebDep
from portal_gateway.web.home.routes import keep_sign_in
from portal_gateway.web.i18n import TEXTS, language, plural

PATH = "/login/code"
METHODS = ("totp", "recovery")
TOTP_CODE = re.compile(r"^[0-9]{6}$")
# Recovery codes are longer than the app's; anything far longer is no code of ours.
RECOVERY_MAX = 64

router = APIRouter(include_in_schema=False)


def _method(value: object) -> str:
    return value if isinstance(value, str) and value in METHODS else "totp"


def _code_page(
    web: Web,
    request: Request,
    pending: PendingSignIn,
    status: int = 200,
    *,
    method: str,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return web.render(
        request,
        "login_code.html",
        status,
        username=pending.username,
        next=pending.target,
        method=method,
        # A passkey is offered beside the app's code, or alone (`passkey_sign_in.py`).
        factors=pending.factors,
        errors=errors or {},
    )


async def _back_to_password(web: Web, request: Request, target: str = "/") -> Response:
    """The step is gone (its time ran out, or identity no longer knows its token): the
    password again, with a message, still bound for the same page."""
    query = urlencode({"notice": "code_expired", **({"next": target} if target != "/" else {})})
    response = RedirectResponse(f"/login?{query}", status_code=303)
    await web.sessions.end_second_step(request, response)
    return response


@router.get(PATH, response_model=None)
async def code_form(request: Request, web: WebDep) -> Response:
    sessions = web.sessions
    pending = await sessions.second_step(request)
    if pending is None:
        if sessions.second_step_started(request):
            return await _back_to_password(web, request)
        return RedirectResponse("/login", status_code=303)
    method = _method(request.query_params.get("method"))
    return _code_page(web, request, pending, method=method)


def _checked_code(code: str, method: str, lang: str) -> str | None:
    """What is wrong with the typed code before it goes to identity (a code that cannot
    be right costs no attempt), else None."""
    if method == "totp" and not TOTP_CODE.match(code):
        return TEXTS[lang]["mfa_code_missing"]
    if method == "recovery" and not 0 < len(code) <= RECOVERY_MAX:
        return TEXTS[lang]["mfa_recovery_missing"]
    return None


def _wait(seconds: str | None, lang: str) -> str:
    """The throttle's wait in whole minutes (at least one)."""
    try:
        minutes = max(1, math.ceil(int(seconds or "60") / 60))
    except ValueError:
        minutes = 1
    return plural(TEXTS[lang], "mfa_throttled", minutes)


@router.post(PATH)
async def complete(request: Request, web: WebDep) -> Response:
    form = await request.form()
    lang = language(request)
    sessions = web.sessions
    method = _method(form.get("method"))
    pending = await sessions.second_step(request)
    if pending is None:
        return await _back_to_password(web, request)

    def again(status: int, errors: dict[str, str]) -> HTMLResponse:
        return _code_page(web, request, pending, status, method=method, errors=errors)

    if not sessions.csrf_ok(request, str(form.get("csrf_token", ""))):
        return again(403, {"": TEXTS[lang]["session_expired"]})
    raw = str(form.get("code", ""))[: RECOVERY_MAX * 2]
    # People copy codes with spaces ("123 456"); recovery codes may carry dashes, which
    # identity judges.
    code = re.sub(r"\s+", "", raw)
    if problem := _checked_code(code, method, lang):
        return again(422, {"code": problem, "": TEXTS[lang]["form_has_errors"]})
    device = sessions.device(request)
    answer = await sessions.complete_sign_in(
        pending.mfa_token,
        code,
        client=caller_address(request),
        user_agent=request.headers.get("user-agent", ""),
        device=device,
    )
    if answer.status_code == 200:
        response = RedirectResponse(pending.target, status_code=303)
        await keep_sign_in(web, response, answer.json(), remember=pending.remember, device=device)
        await sessions.end_second_step(request, response)
        return response
    if answer.status_code == 429:
        refused = again(429, {"": _wait(answer.headers.get("retry-after"), lang)})
        if retry := answer.headers.get("retry-after"):
            refused.headers["Retry-After"] = retry
        return refused
    wrong_code = problem_type(answer) == INVALID_CODE or answer.status_code == 422
    if wrong_code:
        key = "mfa_recovery_wrong" if method == "recovery" else "mfa_code_wrong"
        errors = {"code": TEXTS[lang][key], "": TEXTS[lang]["form_has_errors"]}
        return again(answer.status_code, errors)
    if answer.status_code == 401:
        # Expired, used up by wrong codes, or unknown: the password step again.
        return await _back_to_password(web, request, pending.target)
    return again(503, {"": TEXTS[lang]["service_unavailable"]})
