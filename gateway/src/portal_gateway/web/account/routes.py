"""The account pages: lost password, first password (invitation) and the profile."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web, sign_in_first
from portal_gateway.web.clients.base import problem_messages
from portal_gateway.web.home.routes import remember_language
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.timezones import DEFAULT_ZONE, known_zones, remember_time_zone

# The two pages a mail links to: identity puts the single-use token in their address.
PASSWORD_PAGES = {"/password/reset": "reset_title", "/password/first": "reset_first_title"}
PROFILE_FIELDS = ("email", "display_name", "language", "time_zone")


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
        shown[""] = general if hidden else TEXTS[lang]["form_has_errors"]
    elif general:
        shown[""] = general
    return shown


def _profile_changes(submission: Submission, profile: dict[str, Any]) -> dict[str, Any]:
    """The PATCH body: what the form holds, the password only when a new one is typed."""
    body: dict[str, Any] = {name: submission.text(name, 320) for name in PROFILE_FIELDS}
    if not body["time_zone"]:
        del body["time_zone"]  # left empty: keep the zone the profile has
    body["notification_preferences"] = {
        kind: submission.form.get(f"pref_{kind}") == "1"
        for kind in profile["notification_preferences"]
    }
    current = submission.form.get("current_password")
    if isinstance(current, str) and current:
        body["current_password"] = current[:1024]
    new = submission.form.get("new_password")
    if isinstance(new, str) and new:
        body["new_password"] = new[:1024]
    return body


def account_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    # -- lost password -------------------------------------------------------------------

    @router.get("/password/forgot")
    async def forgot_form(request: Request) -> HTMLResponse:
        viewer = await web.viewer(request)
        sent = request.query_params.get("sent") == "1"
        return web.render(
            request, "account/forgot.html", viewer=viewer, sent=sent, username="", errors={}
        )

    @router.post("/password/forgot")
    async def forgot(request: Request) -> Response:
        submission = await web.submission(request)
        lang = language(request)
        username = submission.text("username", 64)
        errors: dict[str, str] = {}
        if not submission.csrf_ok:
            errors[""] = TEXTS[lang]["session_expired"]
        elif not username:
            errors["username"] = TEXTS[lang]["forgot_username_missing"]
        if errors:
            return web.render(
                request,
                "account/forgot.html",
                403 if "" in errors else 422,
                viewer=submission.viewer,
                sent=False,
                username=username,
                errors=errors,
            )
        answer = await web.api(
            Viewer(),
            "identity",
            "POST",
            "/api/v1/auth/password/forgot",
            json={"username": username},
        )
        if answer.status_code >= 500:
            return web.render(
                request,
                "account/forgot.html",
                503,
                viewer=submission.viewer,
                sent=False,
                username=username,
                errors=problem_messages(answer, lang),
            )
        # The same answer for every user name: nobody learns which accounts exist.
        return web.redirect(request, submission.viewer, "/password/forgot?sent=1")

    # -- a new password from a mailed link -----------------------------------------------

    def password_page(
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

    async def password_form(request: Request) -> HTMLResponse:
        viewer = await web.viewer(request)
        token = request.query_params.get("token", "")[:200]
        return password_page(request, viewer, token=token)

    async def set_password(request: Request) -> Response:
        submission = await web.submission(request)
        lang = language(request)
        token = submission.text("token", 200)
        if not submission.csrf_ok:
            errors = {"": TEXTS[lang]["session_expired"]}
            return password_page(request, submission.viewer, 403, token=token, errors=errors)
        if not token:
            errors = {"": TEXTS[lang]["reset_no_token"]}
            return password_page(request, submission.viewer, 422, token=token, errors=errors)
        if errors := _password_errors(submission, lang):
            errors[""] = TEXTS[lang]["form_has_errors"]
            return password_page(request, submission.viewer, 422, token=token, errors=errors)
        answer = await web.api(
            Viewer(),
            "identity",
            "POST",
            "/api/v1/auth/password/reset",
            json={"token": token, "new_password": str(submission.form.get("new_password"))},
        )
        if answer.status_code not in (200, 204):
            errors = _with_general(problem_messages(answer, lang), lang, ("new_password",))
            status = answer.status_code if answer.status_code < 500 else 503
            return password_page(request, submission.viewer, status, token=token, errors=errors)
        return web.redirect(request, submission.viewer, "/login?notice=password_set")

    for path in PASSWORD_PAGES:
        router.add_api_route(path, password_form, methods=["GET"], response_class=HTMLResponse)
        router.add_api_route(path, set_password, methods=["POST"], response_model=None)

    # -- profile -------------------------------------------------------------------------

    def profile_page(
        request: Request,
        viewer: Viewer,
        profile: dict[str, Any],
        status: int = 200,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> HTMLResponse:
        shown = values or {
            **{name: profile.get(name) for name in PROFILE_FIELDS},
            "notification_preferences": profile["notification_preferences"],
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
        )

    @router.get("/profile", response_model=None)
    async def profile(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        me = await web.api(viewer, "identity", "GET", "/api/v1/me")
        if me.status_code != 200:
            return web.render(request, "account/unavailable.html", 503, viewer=viewer)
        return profile_page(request, viewer, me.json())

    @router.post("/profile")
    async def save_profile(request: Request) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if viewer.actor is None:
            return sign_in_first(request)
        lang = language(request)
        me = await web.api(viewer, "identity", "GET", "/api/v1/me")
        if me.status_code != 200:
            return web.render(request, "account/unavailable.html", 503, viewer=viewer)
        current = me.json()
        body = _profile_changes(submission, current)
        values = {k: v for k, v in body.items() if not k.endswith("password")}
        errors: dict[str, str] = {}
        if not submission.csrf_ok:
            errors[""] = TEXTS[lang]["session_expired"]
        elif "new_password" in body:
            errors = _password_errors(submission, lang)
        if errors:
            errors.setdefault("", TEXTS[lang]["form_has_errors"])
            status = 403 if not submission.csrf_ok else 422
            return profile_page(request, viewer, current, status, values=values, errors=errors)
        answer = await web.api(viewer, "identity", "PATCH", "/api/v1/me", json=body)
        if answer.status_code != 200:
            errors = problem_messages(answer, lang)
            if "time_zone" in errors:
                errors["time_zone"] = TEXTS[lang]["profile_time_zone_unknown"]
            status = answer.status_code if answer.status_code < 500 else 503
            return profile_page(request, viewer, current, status, values=values, errors=errors)
        response = web.redirect(request, viewer, "/profile?saved=1")
        remember_language(response, answer.json().get("language"))
        remember_time_zone(response, answer.json().get("time_zone"))
        return response

    return router
