"""The account pages: lost password, first password (invitation) and the profile;
two-factor sign-in in `security.py`, the list of sign-ins in `sessions.py`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.account import contract, security
from portal_gateway.web.account import sessions as sign_ins
from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient, Profile
from portal_gateway.web.deps import WebDep
from portal_gateway.web.home.routes import remember_language
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.surveys.preference import opt_out_posted, opt_out_shown, save_opt_out
from portal_gateway.web.timezones import DEFAULT_ZONE, known_zones, remember_time_zone

# The two pages a mail links to: identity puts the single-use token in their address.
PASSWORD_PAGES = {"/password/reset": "reset_title", "/password/first": "reset_first_title"}
PROFILE_FIELDS = ("email", "display_name", "language", "time_zone")

router = APIRouter(include_in_schema=False)


def _password_errors(submission: Submission, lang: str) -> dict[str, str]:
    """The checks a person gets at once, before the password goes to the service."""
    words = TEXTS[lang]
    new, repeat = submission.form.get("new_password"), submission.form.get("new_password_repeat")
    if not new:
        return {"new_password": words["reset_missing"]}
    if new != repeat:
        return {"new_password_repeat": words["reset_mismatch"]}
    return {}


def _with_general(errors: dict[str, str], lang: str, fields: tuple[str, ...]) -> dict[str, str]:
    """Messages about fields the form does not show (the link's token) become the
    form's general message."""
    shown = {k: v for k, v in errors.items() if k in fields}
    hidden = [v for k, v in errors.items() if k and k not in fields]
    general = hidden[0] if hidden else errors.get("")
    if shown:
        shown[""] = hidden[0] if hidden else TEXTS[lang]["form_has_errors"]
    elif general:
        shown[""] = general
    return shown


def _profile_changes(submission: Submission, profile: Profile) -> dict[str, Any]:
    """The PATCH body: what the form holds, the password only when a new one is typed."""
    body: dict[str, Any] = {name: submission.text(name, 320) for name in PROFILE_FIELDS}
    if not body["time_zone"]:
        del body["time_zone"]  # left empty: keep the zone the profile has
    body["notification_preferences"] = {
        kind: submission.form.get(f"pref_{kind}") == "1"
        for kind in profile.notification_preferences
    }
    current = submission.form.get("current_password")
    if isinstance(current, str) and current:
        body["current_password"] = current[:1024]
    new = submission.form.get("new_password")
    if isinstance(new, str) and new:
        body["new_password"] = new[:1024]
    return body


# -- lost password -----------------------------------------------------------------------


def _forgot_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    sent: bool = False,
    username: str = "",
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return web.render(
        request,
        "account/forgot.html",
        status,
        viewer=viewer,
        sent=sent,
        username=username,
        errors=errors or {},
    )


@router.get("/password/forgot")
async def forgot_form(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    sent = request.query_params.get("sent") == "1"
    return _forgot_page(web, request, viewer, sent=sent)


@router.post("/password/forgot")
async def forgot(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    lang = language(request)
    username = submission.text("username", 64)
    errors: dict[str, str] = {}
    if not submission.csrf_ok:
        errors[""] = TEXTS[lang]["session_expired"]
    elif not username:
        errors["username"] = TEXTS[lang]["forgot_username_missing"]
    if errors:
        status = 403 if "" in errors else 422
        return _forgot_page(web, request, viewer, status, username=username, errors=errors)
    try:
        await web.client(IdentityClient, Viewer()).forgot_password(username)
    except ServiceError as error:
        if error.unavailable:
            messages = error.messages(lang)
            return _forgot_page(web, request, viewer, 503, username=username, errors=messages)
    # The same answer for every user name: nobody learns which accounts exist.
    return web.redirect(request, viewer, "/password/forgot?sent=1")


# -- a new password from a mailed link -----------------------------------------------------


def _password_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    token: str,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return web.render(
        request,
        "account/reset.html",
        status,
        viewer=viewer,
        action=request.url.path,
        heading=PASSWORD_PAGES[request.url.path],
        token=token,
        errors=errors or {},
    )


async def password_form(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    token = request.query_params.get("token", "")[:200]
    return _password_page(web, request, viewer, token=token)


def _refused_password(
    submission: Submission, token: str, lang: str
) -> tuple[int, dict[str, str]] | None:
    """What is wrong with the form before it goes to the service: (status, messages)."""
    if not submission.csrf_ok:
        return 403, {"": TEXTS[lang]["session_expired"]}
    if not token:
        return 422, {"": TEXTS[lang]["reset_no_token"]}
    if errors := _password_errors(submission, lang):
        errors[""] = TEXTS[lang]["form_has_errors"]
        return 422, errors
    return None


async def set_password(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    lang = language(request)
    token = submission.text("token", 200)
    if refused := _refused_password(submission, token, lang):
        status, errors = refused
        return _password_page(web, request, viewer, status, token=token, errors=errors)
    try:
        new_password = str(submission.form.get("new_password"))
        await web.client(IdentityClient, Viewer()).reset_password(token, new_password)
    except ServiceError as error:
        errors = _with_general(error.messages(lang), lang, ("new_password",))
        status = error.status if error.status < 500 else 503
        return _password_page(web, request, viewer, status, token=token, errors=errors)
    return web.redirect(request, viewer, "/login?notice=password_set")


for _path in PASSWORD_PAGES:
    router.add_api_route(_path, password_form, methods=["GET"], response_class=HTMLResponse)
    router.add_api_route(_path, set_password, methods=["POST"], response_model=None)


# -- profile -------------------------------------------------------------------------------


def _profile_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    profile: Profile,
    status: int = 200,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    survey_opt_out: bool | None = None,
) -> HTMLResponse:
    shown = values or {
        **{name: getattr(profile, name) for name in PROFILE_FIELDS},
        "notification_preferences": profile.notification_preferences,
    }
    shown["time_zone"] = shown.get("time_zone") or DEFAULT_ZONE
    return web.render(
        request,
        "account/profile.html",
        status,
        viewer=viewer,
        profile=profile,
        values=shown,
        errors=errors or {},
        saved=request.query_params.get("saved") == "1" and status == 200,
        time_zones=sorted(known_zones()),
        survey_opt_out=survey_opt_out,
    )


@router.get("/profile", response_model=None)
async def profile(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    try:
        me = await web.client(IdentityClient, viewer).me()
    except ServiceError:
        return web.render(request, "account/unavailable.html", 503, viewer=viewer)
    survey = await opt_out_shown(web, viewer)
    return _profile_page(web, request, viewer, me, survey_opt_out=survey)


def _refused_profile(submission: Submission, body: dict[str, Any], lang: str) -> dict[str, str]:
    """What is wrong with the form before it goes to the service."""
    errors: dict[str, str] = {}
    if not submission.csrf_ok:
        errors[""] = TEXTS[lang]["session_expired"]
    elif "new_password" in body:
        errors = _password_errors(submission, lang)
    if errors:
        errors.setdefault("", TEXTS[lang]["form_has_errors"])
    return errors


@router.post("/profile")
async def save_profile(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is None:
        return sign_in_first(request)
    lang = language(request)
    identity = web.client(IdentityClient, viewer)
    try:
        current = await identity.me()
    except ServiceError:
        return web.render(request, "account/unavailable.html", 503, viewer=viewer)
    body = _profile_changes(submission, current)
    values = {k: v for k, v in body.items() if not k.endswith("password")}
    survey = opt_out_posted(submission)  # kept by the tickets service, not identity

    def again(profile: Profile, status: int, errors: dict[str, str]) -> HTMLResponse:
        """The form once more, with what was posted and why it was not saved."""
        return _profile_page(
            web,
            request,
            viewer,
            profile,
            status,
            values=values,
            errors=errors,
            survey_opt_out=survey,
        )

    if errors := _refused_profile(submission, body, lang):
        return again(current, 403 if not submission.csrf_ok else 422, errors)
    try:
        saved = await identity.update_me(body)
    except ServiceError as error:
        errors = error.messages(lang)
        if "time_zone" in errors:
            errors["time_zone"] = TEXTS[lang]["profile_time_zone_unknown"]
        return again(current, error.status if error.status < 500 else 503, errors)
    if refused := await save_opt_out(web, viewer, survey):
        status = 503 if refused.unavailable else refused.status
        return again(saved, status, refused.messages(lang))
    response = web.redirect(request, viewer, "/profile?saved=1")
    remember_language(response, saved.language)
    remember_time_zone(response, saved.time_zone)
    return response


# The contract page, two-factor sign-in and the sign-ins of the account area (their own
# modules).
router.include_router(contract.router)
router.include_router(security.router)
router.include_router(sign_ins.router)
