"""Satisfaction surveys in the browser: the page behind the mailed link (no sign-in: the
link's token is the credential, so the service is asked as nobody whoever looks), and
the creator's answer on the closed ticket's page (shown by `tickets/detail.html`,
posted here through the ticket page's steps). Answering again changes the answer, for
7 days after the first one; then the link's page says it expired."""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.web.base import Submission, Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import Survey, TicketsClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import TEXTS, language
from portal_gateway.web.tickets.ticket_page import accept, finish, refuse

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
RATINGS = ("1", "2", "3", "4", "5")
MAX_COMMENT = 2000
NOTICES = frozenset({"thanks", "changed"})
# The API's field -> the control its message belongs to.
FIELDS = {"rating": "survey-rating", "comment": "survey-comment"}

router = APIRouter(include_in_schema=False)


def answer_of(submission: Submission) -> dict[str, Any]:
    """The posted answer: the rating as a number when it is one of the five."""
    rating = submission.text("rating", 2)
    return {
        "rating": int(rating) if rating in RATINGS else None,
        "comment": submission.text("comment", MAX_COMMENT + 1),
        "answered": submission.form.get("answered") == "1",
    }


def _errors(error: ServiceError, lang: str) -> dict[str, str]:
    found = {FIELDS.get(name, ""): message for name, message in error.messages(lang).items()}
    found.setdefault("", TEXTS[lang]["form_has_errors"])
    return found


def _gone(web: Web, request: Request, viewer: Viewer, status: int = 404) -> HTMLResponse:
    # Unknown or expired: one page, so links cannot be probed.
    return web.render(request, "surveys/gone.html", status, viewer=viewer)


async def _page(
    web: Web,
    request: Request,
    viewer: Viewer,
    token: str,
    status: int = 200,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    if not TOKEN.fullmatch(token):
        return _gone(web, request, viewer)
    try:
        survey: Survey = await web.client(TicketsClient, Viewer()).survey(token)
    except ServiceError as error:
        if error.status in (404, 410):
            return _gone(web, request, viewer, error.status)
        return web.render(request, "surveys/unavailable.html", 503, viewer=viewer)
    notice = request.query_params.get("done")
    return web.render(
        request,
        "surveys/survey.html",
        status,
        viewer=viewer,
        token=token,
        survey=survey,
        notice=notice if notice in NOTICES and status == 200 else None,
        values=values or {},
        errors=errors or {},
    )


@router.get("/survey/{token}", response_model=None)
async def survey_page(request: Request, token: str, web: WebDep) -> Response:
    return await _page(web, request, await web.viewer(request), token)


@router.post("/survey/{token}", response_model=None)
async def answer(request: Request, token: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer, lang = submission.viewer, language(request)
    values = answer_of(submission)
    if not TOKEN.fullmatch(token):
        return _gone(web, request, viewer)
    if not submission.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return await _page(web, request, viewer, token, 403, values=values, errors=errors)
    if values["rating"] is None:
        errors = {"survey-rating": TEXTS[lang]["survey_err_rating"]}
        errors[""] = TEXTS[lang]["form_has_errors"]
        return await _page(web, request, viewer, token, 422, values=values, errors=errors)
    tickets = web.client(TicketsClient, Viewer())
    try:
        await tickets.answer_survey(token, values["rating"], values["comment"])
    except ServiceError as error:
        if error.status in (404, 410):
            return _gone(web, request, viewer, error.status)
        status = error.status if 400 <= error.status < 500 else 503
        errors = _errors(error, lang)
        return await _page(web, request, viewer, token, status, values=values, errors=errors)
    done = "changed" if values["answered"] else "thanks"
    return web.redirect(request, viewer, f"/survey/{token}?done={done}")


@router.post("/tickets/{number}/survey", response_model=None)
async def answer_on_ticket(request: Request, number: str, web: WebDep) -> Response:
    """The creator answers on the closed ticket's page."""
    posted = await accept(web, request, number, "survey", answer_of)
    if isinstance(posted, Response):
        return posted
    rating = posted.values["rating"]
    if rating is None:
        errors = {"survey-rating": posted.words["survey_err_rating"]}
        return await refuse(web, posted, errors | {"": posted.words["form_has_errors"]})
    tickets = web.client(TicketsClient, posted.viewer)
    call = tickets.answer_ticket_survey(number, rating, posted.values["comment"])
    return await finish(web, posted, _done(call), "survey", anchor="#survey")


async def _done(call: Awaitable[Survey]) -> None:
    await call
