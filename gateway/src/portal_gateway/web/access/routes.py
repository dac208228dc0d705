"""Requesting access from the sign-in page: the form for people without an account, the
"look into your mailbox" page, and the mailed link's page. The link's page confirms
only with its button (a POST): mail scanners that open links confirm nothing."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from portal_gateway.edge.proxy import caller_address
from portal_gateway.web.base import Submission, Viewer, Web
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.identity import IdentityClient
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import LANGUAGES, TEXTS, language

router = APIRouter(include_in_schema=False)

# The form's fields, with the message when a required one is left empty.
REQUIRED = {
    "name": "access_name_missing",
    "company": "access_company_missing",
    "email": "access_email_missing",
    "reason": "access_reason_missing",
}
# The service's field checks the page words itself.
OWN_WORDS = {"phone_invalid": "access_phone_invalid", "link_invalid": "access_confirm_bad"}


@dataclass
class AccessForm:
    name: str = ""
    company: str = ""
    email: str = ""
    phone: str = ""
    function: str = ""
    reason: str = ""
    language: str = "en"
    website: str = ""  # the hidden field: only robots fill it in

    @classmethod
    def posted(cls, submission: Submission, lang: str) -> AccessForm:
        chosen = submission.text("language")
        return cls(
            name=submission.text("name", 300),
            company=submission.text("company", 300),
            email=submission.text("email", 400),
            phone=submission.text("phone", 100),
            function=submission.text("function", 300),
            reason=submission.text("reason", 2000),
            language=chosen if chosen in LANGUAGES else lang,
            website=submission.text("website", 2000),
        )

    def missing(self, lang: str) -> dict[str, str]:
        words = TEXTS[lang]
        return {field: words[key] for field, key in REQUIRED.items() if not getattr(self, field)}

    def body(self) -> dict[str, str]:
        return {
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "phone": self.phone,
            "function": self.function,
            "reason": self.reason,
            "language": self.language,
            "website": self.website,
        }


def _messages(error: ServiceError, lang: str) -> dict[str, str]:
    """The service's refusal at the form's fields, in the page's words where it has some."""
    messages = error.messages(lang)
    for found in error.errors:
        field = str(found.get("field", "")).split(".")[-1]
        if (key := OWN_WORDS.get(str(found.get("code", "")))) is not None:
            messages[field] = TEXTS[lang][key]
    return messages


def _request_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    form: AccessForm,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return web.render(
        request, "access/request.html", status, viewer=viewer, form=form, errors=errors or {}
    )


@router.get("/access/request")
async def request_form(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    form = AccessForm(language=language(request))
    return _request_page(web, request, viewer, form=form)


@router.post("/access/request")
async def send_request(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer, lang = submission.viewer, language(request)
    form = AccessForm.posted(submission, lang)
    if not submission.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return _request_page(web, request, viewer, 403, form=form, errors=errors)
    if errors := form.missing(lang):
        errors[""] = TEXTS[lang]["form_has_errors"]
        return _request_page(web, request, viewer, 422, form=form, errors=errors)
    # The person's address, as the sign-in passes it: identity counts requests by it.
    identity = IdentityClient(web.upstreams, {"X-Forwarded-For": caller_address(request)})
    try:
        await identity.ask_for_access(form.body())
    except ServiceError as error:
        return _refused_request(web, request, viewer, form, error, lang)
    return web.redirect(request, viewer, "/access/sent")


def _refused_request(
    web: Web, request: Request, viewer: Viewer, form: AccessForm, error: ServiceError, lang: str
) -> HTMLResponse:
    if error.status == 429:
        page = _request_page(
            web, request, viewer, 429, form=form, errors={"": TEXTS[lang]["access_throttled"]}
        )
        if retry := error.answer.headers.get("retry-after"):
            page.headers["Retry-After"] = retry
        return page
    if error.unavailable:
        errors = {"": TEXTS[lang]["service_unavailable"]}
        return _request_page(web, request, viewer, 503, form=form, errors=errors)
    return _request_page(web, request, viewer, 422, form=form, errors=_messages(error, lang))


@router.get("/access/sent")
async def request_sent(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    return web.render(request, "access/sent.html", viewer=viewer)


def _confirm_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    token: str,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    return web.render(
        request, "access/confirm.html", status, viewer=viewer, token=token, errors=errors or {}
    )


@router.get("/access/confirm")
async def confirm_form(request: Request, web: WebDep) -> HTMLResponse:
    """Only shows the button: opening the link confirms nothing."""
    viewer = await web.viewer(request)
    token = request.query_params.get("token", "")[:200]
    errors = {} if token else {"": TEXTS[language(request)]["access_confirm_no_token"]}
    return _confirm_page(web, request, viewer, token=token, errors=errors)


@router.post("/access/confirm")
async def confirm(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer, lang = submission.viewer, language(request)
    token = submission.text("token", 200)
    if not submission.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
        return _confirm_page(web, request, viewer, 403, token=token, errors=errors)
    if not token:
        errors = {"": TEXTS[lang]["access_confirm_no_token"]}
        return _confirm_page(web, request, viewer, 422, token=token, errors=errors)
    try:
        await web.client(IdentityClient, Viewer()).confirm_access_request(token)
    except ServiceError as error:
        status = 503 if error.unavailable else 422
        key = "service_unavailable" if error.unavailable else "access_confirm_bad"
        return _confirm_page(web, request, viewer, status, token="", errors={"": TEXTS[lang][key]})
    return web.redirect(request, viewer, "/access/confirmed")


@router.get("/access/confirmed")
async def confirmed(request: Request, web: WebDep) -> HTMLResponse:
    viewer = await web.viewer(request)
    return web.render(request, "access/confirmed.html", viewer=viewer)
