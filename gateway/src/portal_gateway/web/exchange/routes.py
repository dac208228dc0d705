"""The file exchange in the browser: a signed-in user's shares (create, see the link once,
upload, revoke), and the public page behind a link for people without an account
(password prompt, downloads, uploads with progress, or a plain form without script).

Files pass through the gateway as streams: a no-script upload form is read part by part
(`streams.py`) and its file handed on while it arrives, downloads are passed on as they
come."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from portal_gateway.edge.proxy import caller_address
from portal_gateway.web.base import Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.exchange import CreatedShare, ExchangeClient, Unreachable
from portal_gateway.web.deps import WebDep
from portal_gateway.web.exchange.streams import FormStream
from portal_gateway.web.i18n import TEXTS, language

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
EXPIRY_DAYS = (1, 3, 7, 14, 30, 90)
SHARE_COOKIE = "portal_share"  # the password typed for one link, on that link's path only
NEW_SHARE_COOKIE = "portal_new_share"  # the link of a share just made, shown once
PASSED_ON = (
    "content-type",
    "content-length",
    "content-disposition",
    "content-range",
    "accept-ranges",
    "etag",
    "cache-control",
    "x-content-type-options",
)

router = APIRouter(include_in_schema=False)


@dataclass
class LinkVisitor(Viewer):
    """Someone holding a share's link: no account, maybe the link's password."""

    password: str | None = None
    address: str = ""

    @property
    def headers(self) -> dict[str, str]:
        headers = {"X-Forwarded-For": self.address}
        if self.password:
            headers["X-Share-Password"] = self.password
        return headers


def _encode(value: str) -> str:
    return base64.urlsafe_b64encode(value.encode()).decode()


def _decode(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return base64.urlsafe_b64decode(value.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def _new_share(request: Request) -> dict[str, str]:
    """The share just made and its link, from the cookie that carries them to its page."""
    try:
        created = json.loads(_decode(request.cookies.get(NEW_SHARE_COOKIE)) or "{}")
    except ValueError:
        return {}
    return created if isinstance(created, dict) else {}


def _size(value: int, lang: str) -> str:
    size = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
            return text.replace(".", ",") if lang == "de" else text
        size /= 1024
    raise AssertionError("unreachable")


def _integer(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) < 7 else None


def _share_request(
    form: dict[str, str], words: dict[str, str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The API body for a new share from the form, and the errors found before sending."""
    errors: dict[str, str] = {}
    body: dict[str, Any] = {
        "name": form.get("name", "").strip()[:200],
        "allow_upload": form.get("allow_upload") == "1",
        "allow_download": form.get("allow_download") == "1",
    }
    days = _integer(form.get("expires_in_days", "7"))
    if days is None:
        errors["expires_in_days"] = words["exchange_number_needed"]
    else:
        body["expires_in_days"] = days
    if password := form.get("password", ""):
        body["password"] = password[:200]
    limit = form.get("download_limit", "").strip()
    if limit:
        if (number := _integer(limit)) is None:
            errors["download_limit"] = words["exchange_number_needed"]
        else:
            body["download_limit"] = number
    if not (body["allow_upload"] or body["allow_download"]):
        errors["allow_upload"] = words["exchange_allow_one"]
    return body, errors


def _words(request: Request) -> dict[str, str]:
    return TEXTS[language(request)]


# -- the owner's side ----------------------------------------------------------------------


async def _shares_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    status: int = 200,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    try:
        shares, failed = await web.client(ExchangeClient, viewer).shares(), False
    except ServiceError:
        shares, failed = [], True
    return web.render(
        request,
        "exchange/list.html",
        status,
        viewer=viewer,
        shares=shares,
        failed=failed,
        expiry_days=EXPIRY_DAYS,
        values=values or {"expires_in_days": 7, "allow_upload": True, "allow_download": True},
        errors=errors or {},
    )


@router.get("/exchanges", response_model=None)
async def my_shares(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    return await _shares_page(web, request, viewer)


def _show_new_share(web: Web, response: Response, share: CreatedShare) -> None:
    """The link is shown once, on the share's page: it travels there in a cookie."""
    response.set_cookie(
        NEW_SHARE_COOKIE,
        _encode(json.dumps({"id": share.id, "url": share.url})),
        max_age=300,
        path="/exchanges",
        httponly=True,
        secure=web.sessions.secure,
        samesite="strict",
    )


@router.post("/exchanges")
async def create_share(request: Request, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is None:
        return sign_in_first(request)
    lang = language(request)
    form = {k: v for k, v in submission.form.items() if isinstance(v, str)}
    body, errors = _share_request(form, TEXTS[lang])
    values = {**body, "password": "", "download_limit": form.get("download_limit", "")}
    values["expires_in_days"] = body.get("expires_in_days", form.get("expires_in_days"))
    if not submission.csrf_ok:
        errors = {"": TEXTS[lang]["session_expired"]}
    if errors:
        errors.setdefault("", TEXTS[lang]["form_has_errors"])
        status = 403 if not submission.csrf_ok else 422
        return await _shares_page(web, request, viewer, status, values=values, errors=errors)
    try:
        share = await web.client(ExchangeClient, viewer).create_share(body)
    except ServiceError as error:
        status = error.status if error.status < 500 else 503
        errors = error.messages(lang)
        return await _shares_page(web, request, viewer, status, values=values, errors=errors)
    response = web.redirect(request, viewer, f"/exchanges/{share.id}")
    _show_new_share(web, response, share)
    return response


async def _share_page(
    web: Web,
    request: Request,
    viewer: Viewer,
    share_id: str,
    status: int = 200,
    *,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    if not is_uuid(share_id):
        return web.render(request, "exchange/missing.html", 404, viewer=viewer)
    try:
        share = await web.client(ExchangeClient, viewer).share(share_id)
    except ServiceError as error:
        if error.missing:
            return web.render(request, "exchange/missing.html", 404, viewer=viewer)
        return web.render(request, "exchange/unavailable.html", 503, viewer=viewer)
    created = _new_share(request)
    link = created.get("url") if created.get("id") == share.id else None
    response = web.render(
        request,
        "exchange/share.html",
        status,
        viewer=viewer,
        share=share,
        link=link,
        size=lambda n: _size(n, language(request)),
        notice=request.query_params.get("done") if status == 200 else None,
        errors=errors or {},
    )
    if link:
        response.delete_cookie(NEW_SHARE_COOKIE, path="/exchanges")
    return response


@router.get("/exchanges/{share_id}", response_model=None)
async def share_detail(request: Request, share_id: str, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    return await _share_page(web, request, viewer, share_id)


@router.post("/exchanges/{share_id}/revoke")
async def revoke(request: Request, share_id: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    viewer = submission.viewer
    if viewer.actor is None:
        return sign_in_first(request)
    if not submission.csrf_ok:
        errors = {"": _words(request)["session_expired"]}
        return await _share_page(web, request, viewer, share_id, 403, errors=errors)
    if not is_uuid(share_id):
        return web.render(request, "exchange/missing.html", 404, viewer=viewer)
    try:
        await web.client(ExchangeClient, viewer).revoke_share(share_id)
    except ServiceError as error:
        errors = error.messages(language(request))
        return await _share_page(web, request, viewer, share_id, error.status, errors=errors)
    return web.redirect(request, viewer, f"/exchanges/{share_id}?done=revoked")


@router.post("/exchanges/{share_id}/files")
async def owner_upload(request: Request, share_id: str, web: WebDep) -> Response:
    """The upload form without script: the file is passed on while it arrives."""
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not is_uuid(share_id):
        return web.render(request, "exchange/missing.html", 404, viewer=viewer)
    lang = language(request)
    form = FormStream(request.stream(), request.headers.get("content-type", ""), "file")
    fields = await form.fields()
    if not web.sessions.csrf_ok(request, fields.get("csrf_token", "")):
        errors = {"": TEXTS[lang]["session_expired"]}
        return await _share_page(web, request, viewer, share_id, 403, errors=errors)
    if not form.filename:
        errors = {"file": TEXTS[lang]["exchange_choose_file"]}
        return await _share_page(web, request, viewer, share_id, 422, errors=errors)
    exchange = web.client(ExchangeClient, viewer)
    try:
        await exchange.upload_to_share(share_id, form.filename, form.file_chunks())
    except Unreachable:
        return web.render(request, "exchange/unavailable.html", 503, viewer=viewer)
    except ServiceError as error:
        errors = error.messages(lang)
        if "file" not in errors and "" in errors:
            errors = {"file": errors[""]}
        return await _share_page(web, request, viewer, share_id, error.status, errors=errors)
    return web.redirect(request, viewer, f"/exchanges/{share_id}?done=uploaded")


# -- the side of whoever holds the link ------------------------------------------------------


def _visitor(request: Request, password: str | None = None) -> LinkVisitor:
    typed = password if password is not None else _decode(request.cookies.get(SHARE_COOKIE))
    # The address the edge saw: the service counts wrong passwords per address.
    address = caller_address(request)
    return LinkVisitor(password=typed, address=address)


def _gone(web: Web, request: Request) -> HTMLResponse:
    # Unknown, expired, revoked, used up: one answer, so links cannot be probed.
    return web.render(request, "exchange/gone.html", 404)


def _prompt(
    web: Web, request: Request, token: str, status: int, message: str | None
) -> HTMLResponse:
    errors = {"password": message} if message else {}
    if message:
        errors[""] = message
    return web.render(request, "exchange/password.html", status, token=token, errors=errors)


def _refused_link(
    web: Web, request: Request, token: str, guest: LinkVisitor, error: ServiceError
) -> Response:
    """The link's page when the service does not open the share for this visitor."""
    message = error.messages(language(request))[""]
    if error.status in (404, 410, 422):
        return _gone(web, request)
    if error.status == 429:
        response = _prompt(web, request, token, 429, message)
        response.headers["Retry-After"] = error.answer.headers.get("retry-after", "60")
        return response
    if error.status == 401:
        if not guest.password:
            return _prompt(web, request, token, 200, None)
        # The password kept for this link no longer opens it.
        response = _prompt(web, request, token, 401, message)
        response.delete_cookie(SHARE_COOKIE, path=f"/x/{token}")
        return response
    return web.render(request, "exchange/unavailable.html", 503)


async def _public_page(
    web: Web,
    request: Request,
    token: str,
    status: int = 200,
    *,
    refused: bool = False,
    errors: dict[str, str] | None = None,
) -> Response:
    if not TOKEN.match(token):
        return _gone(web, request)
    guest = _visitor(request)
    try:
        share = await web.client(ExchangeClient, guest).link_share(token)
    except ServiceError as error:
        return _refused_link(web, request, token, guest, error)
    upload_url = (
        f"/x/{token}/files?name={{name}}"
        if guest.password
        else f"/api/v1/exchanges/{token}/files/{{name}}"
    )
    lang = language(request)
    return web.render(
        request,
        "exchange/public.html",
        status,
        token=token,
        share=share,
        upload_url=upload_url,
        size=lambda n: _size(n, lang),
        uploaded=request.query_params.get("uploaded") == "1" and status == 200,
        refused=refused,
        errors=errors or {},
    )


@router.get("/x/{token}", response_model=None)
async def open_link(request: Request, token: str, web: WebDep) -> Response:
    return await _public_page(web, request, token)


def _remember_password(web: Web, response: Response, token: str, password: str) -> None:
    response.set_cookie(
        SHARE_COOKIE,
        _encode(password),
        path=f"/x/{token}",
        httponly=True,
        secure=web.sessions.secure,
        samesite="strict",
    )


@router.post("/x/{token}", response_model=None)
async def unlock(request: Request, token: str, web: WebDep) -> Response:
    submission = await web.submission(request)
    if not TOKEN.match(token):
        return _gone(web, request)
    lang = language(request)
    if not submission.csrf_ok:
        return _prompt(web, request, token, 403, TEXTS[lang]["session_expired"])
    password = submission.form.get("password")
    password = password[:200] if isinstance(password, str) else ""
    if not password:
        return _prompt(web, request, token, 422, TEXTS[lang]["exchange_password_missing"])
    try:
        await web.client(ExchangeClient, _visitor(request, password)).link_share(token)
    except ServiceError as error:
        if error.status in (404, 410, 422):
            return _gone(web, request)
        again = _prompt(web, request, token, error.status, error.messages(lang)[""])
        if retry := error.answer.headers.get("retry-after"):
            again.headers["Retry-After"] = retry
        return again
    response = web.redirect(request, None, f"/x/{token}")
    _remember_password(web, response, token, password)
    return response


@router.get("/x/{token}/files/{file_id}", response_model=None)
async def download(request: Request, token: str, file_id: str, web: WebDep) -> Response:
    if not (TOKEN.match(token) and is_uuid(file_id)):
        return _gone(web, request)
    exchange = web.client(ExchangeClient, _visitor(request))
    try:
        upstream = await exchange.download(token, file_id, request.headers.get("range"))
    except Unreachable:
        return web.render(request, "exchange/unavailable.html", 503)
    if upstream.status_code in (200, 206):
        return StreamingResponse(
            upstream.aiter_raw(),
            status_code=upstream.status_code,
            headers={k: upstream.headers[k] for k in PASSED_ON if k in upstream.headers},
            background=BackgroundTask(upstream.aclose),
        )
    await upstream.aclose()
    if upstream.status_code in (401, 429):
        return web.redirect(request, None, f"/x/{token}")
    if upstream.status_code in (404, 410):
        # A link kept from before (the limit reached, the file gone): the link's page
        # again, saying why and linking only what still works; a link that is gone
        # altogether gets the one answer for every gone link.
        return await _public_page(web, request, token, upstream.status_code, refused=True)
    return _gone(web, request)


@router.post("/x/{token}/files", response_model=None)
async def public_upload(request: Request, token: str, web: WebDep) -> Response:
    """The upload form without script: the file is passed on while it arrives."""
    if not TOKEN.match(token):
        return _gone(web, request)
    lang = language(request)
    form = FormStream(request.stream(), request.headers.get("content-type", ""), "file")
    fields = await form.fields()
    if not web.sessions.csrf_ok(request, fields.get("csrf_token", "")):
        errors = {"": TEXTS[lang]["session_expired"]}
        return await _public_page(web, request, token, 403, errors=errors)
    if not form.filename:
        errors = {"file": TEXTS[lang]["exchange_choose_file"]}
        return await _public_page(web, request, token, 422, errors=errors)
    exchange = web.client(ExchangeClient, _visitor(request))
    try:
        await exchange.add_file_via_link(token, form.filename[:255], form.file_chunks())
    except Unreachable:
        errors = {"file": TEXTS[lang]["service_unavailable"]}
        return await _public_page(web, request, token, 503, errors=errors)
    except ServiceError as error:
        if error.status in (404, 410):
            return _gone(web, request)
        message = error.messages(lang)
        errors = {"file": message.get("") or next(iter(message.values()))}
        return await _public_page(web, request, token, error.status, errors=errors)
    return web.redirect(request, None, f"/x/{token}?uploaded=1")


@router.put("/x/{token}/files", response_model=None)
async def scripted_upload(request: Request, token: str, web: WebDep) -> Response:
    """The upload script's way in for a protected link: the password stays in its
    HttpOnly cookie, the body is passed on while it arrives."""
    name = request.query_params.get("name", "")[:255]
    if not (TOKEN.match(token) and name):
        return Response(status_code=404)
    if not web.sessions.csrf_ok(request):
        return Response(
            json.dumps({"detail": _words(request)["session_expired"]}),
            status_code=403,
            media_type="application/problem+json",
        )
    exchange = web.client(ExchangeClient, _visitor(request))
    try:
        answer = await exchange.upload_via_link(token, name, request.stream())
    except Unreachable:
        detail = {"detail": _words(request)["service_unavailable"]}
        return Response(json.dumps(detail), status_code=503, media_type="application/json")
    return Response(
        answer.content,
        status_code=answer.status_code,
        media_type=answer.headers.get("content-type", "application/json"),
    )
