"""Two-factor sign-in in the profile (`/account/security`): its state, setting up an
authenticator app (current password, then the QR code and the key, then a code from
the app), the recovery codes shown once, new recovery codes and switching it off; the
viewer's passkeys (listed and removed here; added by the page's script,
`static/passkeys.js`, through the API, since only the browser can make one).

Identity keeps the new secret until a code confirms it; the page carries the secret,
its URI and its QR code from the QR page to a second try after a wrong code (they are
on that page anyway), never beyond."""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import (
    IdentityClient,
    Passkey,
    RecoveryCodes,
    TotpEnrolment,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.forms import form_status
from portal_gateway.web.i18n import TEXTS, language

PATH = "/account/security"
# The password forms of the page, each with its own field (ids are unique on a page).
PASSWORD_FIELDS = {
    "setup": "setup_password",
    "disable": "disable_password",
    "regenerate": "regenerate_password",
    "passkey": "passkey_password",
    "remove_passkey": "remove_password",
}
BASE32 = re.compile(r"^[A-Z2-7]{16,128}=*$")
TOTP_CODE = re.compile(r"^[0-9]{6}$")
# An SVG QR code of an otpauth URI is a few kilobytes; anything far larger is not one.
QR_MAX_BYTES = 200_000
# Fewer recovery codes than this left: the page suggests new ones.
FEW_CODES = 3
NOTICES = ("disabled", "passkey_added", "passkey_removed")
# Notices after which the viewer's tokens say something new (`mfa_setup_due`).
RENEWING_NOTICES = ("passkey_added", "passkey_removed")

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Enrolment:
    """What the QR page shows: the key as text and the QR code as an image."""

    secret: str
    otpauth_uri: str
    qr_base64: str  # the SVG, for an <img src="data:image/svg+xml;base64,…">

    @property
    def grouped_secret(self) -> str:
        """The key in groups of four, as apps show and accept it."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    @classmethod
    def of(cls, answer: TotpEnrolment) -> Enrolment:
        svg = answer.qr_svg.encode()
        # Shown as an image, never inline: an image cannot run a script, and the strict
        # CSP (img-src data:) needs no exception.
        qr = base64.b64encode(svg).decode() if _looks_like_svg(svg) else ""
        return cls(answer.secret, answer.otpauth_uri, qr)

    @classmethod
    def posted(cls, submission: Submission) -> Enrolment | None:
        """The QR page's own data, back from its form; None when it is not that."""
        secret = submission.text("secret", 200).replace(" ", "").upper()
        uri = submission.text("otpauth_uri", 2000)
        qr = submission.text("qr", QR_MAX_BYTES * 2)
        if not BASE32.match(secret) or not uri.startswith("otpauth://"):
            return None
        try:
            svg = base64.b64decode(qr, validate=True)
        except (binascii.Error, ValueError):
            svg = b""
        return cls(secret, uri, qr if _looks_like_svg(svg) else "")


def _looks_like_svg(svg: bytes) -> bool:
    head = svg[:400].lstrip()
    return 0 < len(svg) <= QR_MAX_BYTES and (head.startswith(b"<?xml") or head.startswith(b"<svg"))


def _no_store(response: Response) -> Response:
    # The key and the recovery codes stay out of every cache and the browser's history.
    response.headers["Cache-Control"] = "no-store"
    return response


async def _status_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
) -> Response:
    identity = web.client(IdentityClient, viewer)
    try:
        state, passkeys = await asyncio.gather(identity.mfa_status(), identity.passkeys())
    except ServiceError:
        return web.render(request, "account/security_unavailable.html", 503, viewer=viewer)
    done = request.query_params.get("done", "")
    return web.render(
        request,
        "account/security.html",
        status,
        viewer=viewer,
        state=state,
        passkeys=passkeys.items,
        few_codes=state.totp and state.recovery_codes_left <= FEW_CODES,
        errors=errors or {},
        notice=TEXTS[language(request)][f"security_done_{done}"] if done in NOTICES else None,
    )


def _enrol_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    enrolment: Enrolment,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
) -> Response:
    page = web.render(
        request,
        "account/security_enrol.html",
        status,
        viewer=viewer,
        enrolment=enrolment,
        errors=errors or {},
    )
    return _no_store(page)


def _codes_page(
    web: Web, request: Request, viewer: Viewer, codes: RecoveryCodes, *, new: bool
) -> Response:
    lang = language(request)
    username = viewer.actor.username if viewer.actor else ""
    lines = [TEXTS[lang]["security_codes_file_heading"].format(username=username), ""]
    text = "\n".join([*lines, *codes.recovery_codes, ""])
    page = web.render(
        request,
        "account/security_codes.html",
        viewer=viewer,
        codes=codes.recovery_codes,
        new=new,
        download=base64.b64encode(text.encode()).decode(),
    )
    return _no_store(page)


def _refusal(
    error: ServiceError, lang: str, *, field: str, shown_at: str, wrong: str
) -> dict[str, str]:
    """Identity's refusal as the form's messages: an error on the form's one `field`
    means a wrong value (said in the reader's language, at the field `shown_at`); else
    the general message."""
    words = TEXTS[lang]
    if any(str(e.get("field", "")).split(".")[-1] == field for e in error.errors):
        return {shown_at: words[wrong], "": words["form_has_errors"]}
    return {"": error.message(lang)}


async def _signed_in(web: Web, request: Request) -> Submission | Response:
    """The posted form of a signed-in viewer, or where anybody else goes."""
    submission = await web.submission(request)
    if submission.viewer.actor is None:
        return sign_in_first(request)
    return submission


async def _fresh_session(web: Web, request: Request, viewer: Viewer) -> Viewer:
    """The viewer with new tokens: their claims (`mfa_setup_due`, `amr`) follow the
    second factor from the next page on, not only from the next sign-in."""
    renewal = await web.sessions.renew(request, viewer.renewal)
    if renewal is None:
        return viewer
    return replace(viewer, token=renewal.access_token, renewal=renewal)


@router.get(PATH, response_model=None)
async def security(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if request.query_params.get("done") in RENEWING_NOTICES:
        # A passkey was added or removed by the page's script through the API.
        viewer = await _fresh_if_stale(web, request, viewer)
    return await _status_page(web, request, viewer)


async def _fresh_if_stale(web: Web, request: Request, viewer: Viewer) -> Viewer:
    """New tokens only when they say something else than is true now: a page load (a
    reload, a prefetch) must not renew them each time, since two loads presenting the
    same refresh token would end the sign-in as a stolen one."""
    try:
        state = await web.client(IdentityClient, viewer).mfa_status()
    except ServiceError:
        return viewer
    due = state.required and not (state.totp or state.passkeys)
    return await _fresh_session(web, request, viewer) if due != viewer.mfa_setup_due else viewer


async def _with_password(
    web: Web,
    request: Request,
    form: str,
    call: Callable[[Viewer, str], Awaitable[Response]],
) -> Response:
    """One of the page's password forms: checked, then `call` with the viewer and the
    password; the page again with the message at the form's field when refused."""
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    viewer = found.viewer
    lang = language(request)
    field = PASSWORD_FIELDS[form]
    password = found.form.get("password")
    if not found.csrf_ok:
        return await _status_page(
            web, request, viewer, 403, errors={"": TEXTS[lang]["session_expired"]}
        )
    if not isinstance(password, str) or not password:
        errors = {field: TEXTS[lang]["security_password_missing"]}
        errors[""] = TEXTS[lang]["form_has_errors"]
        return await _status_page(web, request, viewer, 422, errors=errors)
    try:
        return await call(viewer, password[:1024])
    except ServiceError as error:
        errors = _refusal(
            error, lang, field="password", shown_at=field, wrong="security_password_wrong"
        )
        return await _status_page(web, request, viewer, form_status(error), errors=errors)


@router.post(f"{PATH}/totp", response_model=None)
async def start_setup(request: Request, web: WebDep) -> Response:
    async def start(viewer: Viewer, password: str) -> Response:
        answer = await web.client(IdentityClient, viewer).start_totp(password)
        return _enrol_page(web, request, viewer, Enrolment.of(answer))

    return await _with_password(web, request, "setup", start)


@router.post(f"{PATH}/totp/confirm", response_model=None)
async def confirm_setup(request: Request, web: WebDep) -> Response:
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    viewer = found.viewer
    lang = language(request)
    if not found.csrf_ok:
        # Not the QR page again: a key and QR code from a forged form are never shown.
        errors = {"": TEXTS[lang]["session_expired"]}
        return await _status_page(web, request, viewer, 403, errors=errors)
    enrolment = Enrolment.posted(found)
    if enrolment is None:
        errors = {"": TEXTS[lang]["security_expired_setup"]}
        return await _status_page(web, request, viewer, 422, errors=errors)

    def again(status: int, errors: dict[str, str]) -> Response:
        return _enrol_page(web, request, viewer, enrolment, status, errors=errors)

    code = re.sub(r"\s+", "", found.text("code", 64))
    if not TOTP_CODE.match(code):
        words = TEXTS[lang]
        return again(422, {"code": words["mfa_code_missing"], "": words["form_has_errors"]})
    try:
        codes = await web.client(IdentityClient, viewer).confirm_totp(code)
    except ServiceError as error:
        errors = _refusal(error, lang, field="code", shown_at="code", wrong="security_code_wrong")
        return again(form_status(error), errors)
    viewer = await _fresh_session(web, request, viewer)
    return _codes_page(web, request, viewer, codes, new=False)


@router.post(f"{PATH}/totp/disable", response_model=None)
async def disable(request: Request, web: WebDep) -> Response:
    async def switch_off(viewer: Viewer, password: str) -> Response:
        await web.client(IdentityClient, viewer).disable_totp(password)
        viewer = await _fresh_session(web, request, viewer)
        return web.redirect(request, viewer, f"{PATH}?done=disabled")

    return await _with_password(web, request, "disable", switch_off)


@router.post(f"{PATH}/recovery-codes", response_model=None)
async def new_codes(request: Request, web: WebDep) -> Response:
    async def regenerate(viewer: Viewer, password: str) -> Response:
        codes = await web.client(IdentityClient, viewer).new_recovery_codes(password)
        return _codes_page(web, request, viewer, codes, new=True)

    return await _with_password(web, request, "regenerate", regenerate)


# -- passkeys ---------------------------------------------------------------------------


@router.post(f"{PATH}/passkeys", response_model=None)
async def add_passkey_without_script(request: Request, web: WebDep) -> Response:
    """The form's target when no script took it over: only a browser's script can make a
    passkey, so the page says what is needed."""
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    errors = {"": TEXTS[language(request)]["passkey_needs_script"]}
    return await _status_page(web, request, found.viewer, 422, errors=errors)


async def _own_passkey(web: Web, viewer: Viewer, passkey_id: str) -> Passkey | None:
    listed = await web.client(IdentityClient, viewer).passkeys()
    return next((p for p in listed.items if p.id == passkey_id), None)


def _remove_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    passkey: Passkey,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
) -> Response:
    return web.render(
        request,
        "account/security_passkey_remove.html",
        status,
        viewer=viewer,
        passkey=passkey,
        errors=errors or {},
    )


def _missing(web: Web, request: Request, viewer: Viewer) -> Response:
    return web.render(request, "refused.html", 404, viewer=viewer, missing=True)


@router.get(f"{PATH}/passkeys/{{passkey_id}}/remove", response_model=None)
async def remove_passkey_form(passkey_id: str, request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    passkey = await _own_passkey(web, viewer, passkey_id)
    if passkey is None:
        return _missing(web, request, viewer)
    return _remove_page(web, request, viewer, passkey)


@router.post(f"{PATH}/passkeys/{{passkey_id}}/remove", response_model=None)
async def remove_passkey(passkey_id: str, request: Request, web: WebDep) -> Response:
    """Removes the passkey with the current password; the page again with the message
    at the field when refused."""
    found = await _signed_in(web, request)
    if isinstance(found, Response):
        return found
    viewer, lang = found.viewer, language(request)
    passkey = await _own_passkey(web, viewer, passkey_id)
    if passkey is None:
        return _missing(web, request, viewer)
    field = PASSWORD_FIELDS["remove_passkey"]
    password = found.form.get("password")
    if not found.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return _remove_page(web, request, viewer, passkey, 403, errors=errors)
    if not isinstance(password, str) or not password:
        errors = {field: TEXTS[lang]["security_password_missing"]}
        errors[""] = TEXTS[lang]["form_has_errors"]
        return _remove_page(web, request, viewer, passkey, 422, errors=errors)
    try:
        await web.client(IdentityClient, viewer).remove_passkey(passkey.id, password[:1024])
    except ServiceError as error:
        if error.missing:
            return _missing(web, request, viewer)
        errors = _refusal(
            error, lang, field="password", shown_at=field, wrong="security_password_wrong"
        )
        return _remove_page(web, request, viewer, passkey, form_status(error), errors=errors)
    viewer = await _fresh_session(web, request, viewer)
    return web.redirect(request, viewer, f"{PATH}?done=passkey_removed")
