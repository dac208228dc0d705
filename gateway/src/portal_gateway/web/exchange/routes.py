"""The file exchange in the browser: a signed-in user's shares (create, see the link once,
upload, revoke), and the public page behind a link for people without an account
(password prompt, downloads, uploads with progress, or a plain form without script).

Files pass through the gateway as streams: a no-script upload form is read part by part
and its file handed on while it arrives, downloads are passed on as they come."""

from __future__ import annotations

import base64
import binascii
import json
import re
import secrets
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.background import BackgroundTask

from portal_gateway.edge.proxy import UpstreamFailure
from portal_gateway.web.base import Viewer, Web, is_uuid, sign_in_first
from portal_gateway.web.clients.base import problem_messages
from portal_gateway.web.i18n import TEXTS, language

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
EXPIRY_DAYS = (1, 3, 7, 14, 30, 90)
SHARE_COOKIE = "portal_share"  # the password typed for one link, on that link's path only
NEW_SHARE_COOKIE = "portal_new_share"  # the link of a share just made, shown once
FIELD_LIMIT = 4096  # bytes of a plain field in a streamed upload form
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


class FormStream:
    """A multipart form read while it arrives: the small fields before the file, then
    the file's bytes, never held whole."""

    def __init__(self, body: AsyncIterator[bytes], content_type: str, file_field: str) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        self.valid = kind == b"multipart/form-data" and bool(boundary)
        self.body = body.__aiter__()
        self.file_field = file_field
        self.filename = ""
        self._events: deque[tuple[str, Any]] = deque()
        self._headers: dict[bytes, bytes] = {}
        self._header = [b"", b""]
        if self.valid:
            self.parser = MultipartParser(
                boundary,
                {
                    "on_part_begin": self._headers.clear,
                    "on_header_field": lambda d, s, e: self._grow(0, d[s:e]),
                    "on_header_value": lambda d, s, e: self._grow(1, d[s:e]),
                    "on_header_end": self._header_end,
                    "on_headers_finished": self._headers_done,
                    "on_part_data": lambda d, s, e: self._events.append(("data", d[s:e])),
                    "on_part_end": lambda: self._events.append(("end", None)),
                },
                max_header_count=20,
                max_header_size=8192,
            )

    def _grow(self, index: int, data: bytes) -> None:
        self._header[index] += data

    def _header_end(self) -> None:
        self._headers[self._header[0].lower()] = self._header[1]
        self._header = [b"", b""]

    def _headers_done(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        filename = filename.decode("utf-8", "replace") if filename is not None else None
        self._events.append(("begin", (name, filename)))

    async def _next(self) -> tuple[str, Any] | None:
        while not self._events:
            chunk = await anext(self.body, None)
            if chunk is None:
                return None
            if chunk:
                self.parser.write(chunk)
        return self._events.popleft()

    async def fields(self) -> dict[str, str]:
        """The plain fields up to the file part (whose name is then in `filename`)."""
        values: dict[str, str] = {}
        if not self.valid:
            return values
        current: str | None = None
        value = b""
        while (event := await self._next()) is not None:
            kind, data = event
            if kind == "begin":
                name, filename = data
                if filename is not None and name == self.file_field:
                    # Browsers may send a whole path; a form without a file sends "".
                    self.filename = re.split(r"[\\/]", filename)[-1].strip()
                    return values
                current, value = (name if filename is None else None), b""
            elif kind == "data" and current is not None:
                value = (value + data)[:FIELD_LIMIT]
            elif kind == "end" and current is not None:
                values[current] = value.decode("utf-8", "replace")
                current = None
        return values

    async def file_chunks(self) -> AsyncIterator[bytes]:
        while (event := await self._next()) is not None:
            kind, data = event
            if kind == "data":
                yield data
            elif kind == "end":
                return


def _multipart(filename: str, chunks: AsyncIterator[bytes]) -> tuple[str, AsyncIterator[bytes]]:
    """The file again as a one-part multipart body, for a service that takes that."""
    boundary = secrets.token_hex(16)
    name = re.sub(r'["\r\n]', "_", filename)

    async def body() -> AsyncIterator[bytes]:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        ).encode()
        async for chunk in chunks:
            yield chunk
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", body()


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


def _state(share: dict[str, Any]) -> str:
    if share["revoked"]:
        return "revoked"
    if datetime.fromisoformat(share["expires_at"]) <= datetime.now(UTC):
        return "expired"
    return "exhausted" if share.get("downloads_exhausted") else "active"


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


def _share_request(form: dict[str, str], words: dict[str, str]) -> tuple[dict, dict[str, str]]:
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


def exchange_router(web: Web) -> APIRouter:
    router = APIRouter(include_in_schema=False)
    files = web.upstreams.clients["files"]

    def words(request: Request) -> dict[str, str]:
        return TEXTS[language(request)]

    async def stream(request: httpx.Request) -> httpx.Response | None:
        replayable = request.method == "GET"
        try:
            return await web.upstreams.send("files", request, replayable=replayable)
        except UpstreamFailure:
            return None

    # -- the owner's side ----------------------------------------------------------------

    async def shares_page(
        request: Request,
        viewer: Viewer,
        status: int = 200,
        *,
        values: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> HTMLResponse:
        answer = await web.api(viewer, "files", "GET", "/api/v1/exchanges")
        shares = answer.json()["items"] if answer.status_code == 200 else []
        for share in shares:
            share["state"] = _state(share)
        return web.render(
            request,
            "exchange/list.html",
            status,
            viewer=viewer,
            shares=shares,
            failed=answer.status_code != 200,
            expiry_days=EXPIRY_DAYS,
            values=values or {"expires_in_days": 7, "allow_upload": True, "allow_download": True},
            errors=errors or {},
        )

    @router.get("/exchanges", response_model=None)
    async def my_shares(request: Request) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        return await shares_page(request, viewer)

    @router.post("/exchanges")
    async def create_share(request: Request) -> Response:
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
            return await shares_page(request, viewer, status, values=values, errors=errors)
        answer = await web.api(viewer, "files", "POST", "/api/v1/exchanges", json=body)
        if answer.status_code != 201:
            status = answer.status_code if answer.status_code < 500 else 503
            errors = problem_messages(answer, lang)
            return await shares_page(request, viewer, status, values=values, errors=errors)
        share = answer.json()
        response = web.redirect(request, viewer, f"/exchanges/{share['id']}")
        response.set_cookie(
            NEW_SHARE_COOKIE,
            _encode(json.dumps({"id": share["id"], "url": share["url"]})),
            max_age=300,
            path="/exchanges",
            httponly=True,
            secure=web.sessions.secure,
            samesite="strict",
        )
        return response

    async def share_page(
        request: Request,
        viewer: Viewer,
        share_id: str,
        status: int = 200,
        *,
        errors: dict[str, str] | None = None,
    ) -> HTMLResponse:
        answer = (
            await web.api(viewer, "files", "GET", f"/api/v1/exchanges/shares/{share_id}")
            if is_uuid(share_id)
            else None
        )
        if answer is None or answer.status_code == 404:
            return web.render(request, "exchange/missing.html", 404, viewer=viewer)
        if answer.status_code != 200:
            return web.render(request, "exchange/unavailable.html", 503, viewer=viewer)
        share = answer.json()
        share["state"] = _state(share)
        created = _new_share(request)
        link = created.get("url") if created.get("id") == share["id"] else None
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
    async def share_detail(request: Request, share_id: str) -> Response:
        viewer = await web.viewer(request)
        if viewer.actor is None:
            return sign_in_first(request)
        return await share_page(request, viewer, share_id)

    @router.post("/exchanges/{share_id}/revoke")
    async def revoke(request: Request, share_id: str) -> Response:
        submission = await web.submission(request)
        viewer = submission.viewer
        if viewer.actor is None:
            return sign_in_first(request)
        if not submission.csrf_ok:
            errors = {"": words(request)["session_expired"]}
            return await share_page(request, viewer, share_id, 403, errors=errors)
        if not is_uuid(share_id):
            return web.render(request, "exchange/missing.html", 404, viewer=viewer)
        answer = await web.api(viewer, "files", "DELETE", f"/api/v1/exchanges/shares/{share_id}")
        if answer.status_code != 204:
            errors = problem_messages(answer, language(request))
            return await share_page(request, viewer, share_id, answer.status_code, errors=errors)
        return web.redirect(request, viewer, f"/exchanges/{share_id}?done=revoked")

    @router.post("/exchanges/{share_id}/files")
    async def owner_upload(request: Request, share_id: str) -> Response:
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
            return await share_page(request, viewer, share_id, 403, errors=errors)
        if not form.filename:
            errors = {"file": TEXTS[lang]["exchange_choose_file"]}
            return await share_page(request, viewer, share_id, 422, errors=errors)
        content_type, body = _multipart(form.filename, form.file_chunks())
        upstream = await stream(
            files.build_request(
                "POST",
                f"/api/v1/exchanges/shares/{share_id}/files",
                headers={**viewer.headers, "Content-Type": content_type},
                content=body,
            )
        )
        if upstream is None:
            return web.render(request, "exchange/unavailable.html", 503, viewer=viewer)
        await upstream.aread()
        await upstream.aclose()
        if upstream.status_code != 201:
            errors = problem_messages(upstream, lang)
            if "file" not in errors and "" in errors:
                errors = {"file": errors[""]}
            return await share_page(request, viewer, share_id, upstream.status_code, errors=errors)
        return web.redirect(request, viewer, f"/exchanges/{share_id}?done=uploaded")

    # -- the side of whoever holds the link ----------------------------------------------

    def visitor(request: Request, token: str, password: str | None = None) -> LinkVisitor:
        typed = password if password is not None else _decode(request.cookies.get(SHARE_COOKIE))
        # The address the edge saw: the service counts wrong passwords per address.
        address = request.client.host if request.client else ""
        return LinkVisitor(password=typed, address=address)

    def gone(request: Request) -> HTMLResponse:
        # Unknown, expired, revoked, used up: one answer, so links cannot be probed.
        return web.render(request, "exchange/gone.html", 404)

    def prompt(request: Request, token: str, status: int, message: str | None) -> HTMLResponse:
        errors = {"password": message} if message else {}
        if message:
            errors[""] = message
        return web.render(request, "exchange/password.html", status, token=token, errors=errors)

    async def public_page(
        request: Request, token: str, status: int = 200, **extra: Any
    ) -> Response:
        if not TOKEN.match(token):
            return gone(request)
        guest = visitor(request, token)
        answer = await web.api(guest, "files", "GET", f"/api/v1/exchanges/{token}")
        lang = language(request)
        if answer.status_code in (404, 410, 422):
            return gone(request)
        if answer.status_code == 429:
            response = prompt(request, token, 429, problem_messages(answer, lang)[""])
            response.headers["Retry-After"] = answer.headers.get("retry-after", "60")
            return response
        if answer.status_code == 401:
            if not guest.password:
                return prompt(request, token, 200, None)
            # The password kept for this link no longer opens it.
            response = prompt(request, token, 401, problem_messages(answer, lang)[""])
            response.delete_cookie(SHARE_COOKIE, path=f"/x/{token}")
            return response
        if answer.status_code != 200:
            return web.render(request, "exchange/unavailable.html", 503)
        share = answer.json()
        upload_url = (
            f"/x/{token}/files?name={{name}}"
            if guest.password
            else f"/api/v1/exchanges/{token}/files/{{name}}"
        )
        return web.render(
            request,
            "exchange/public.html",
            status,
            token=token,
            share=share,
            upload_url=upload_url,
            size=lambda n: _size(n, lang),
            uploaded=request.query_params.get("uploaded") == "1" and status == 200,
            refused=extra.get("refused", False),
            errors=extra.get("errors", {}),
        )

    @router.get("/x/{token}", response_model=None)
    async def open_link(request: Request, token: str) -> Response:
        return await public_page(request, token)

    @router.post("/x/{token}", response_model=None)
    async def unlock(request: Request, token: str) -> Response:
        submission = await web.submission(request)
        if not TOKEN.match(token):
            return gone(request)
        lang = language(request)
        if not submission.csrf_ok:
            return prompt(request, token, 403, TEXTS[lang]["session_expired"])
        password = submission.form.get("password")
        password = password[:200] if isinstance(password, str) else ""
        if not password:
            return prompt(request, token, 422, TEXTS[lang]["exchange_password_missing"])
        guest = visitor(request, token, password)
        answer = await web.api(guest, "files", "GET", f"/api/v1/exchanges/{token}")
        if answer.status_code in (404, 410, 422):
            return gone(request)
        if answer.status_code != 200:
            response = prompt(
                request, token, answer.status_code, problem_messages(answer, lang)[""]
            )
            if retry := answer.headers.get("retry-after"):
                response.headers["Retry-After"] = retry
            return response
        response = web.redirect(request, None, f"/x/{token}")
        response.set_cookie(
            SHARE_COOKIE,
            _encode(password),
            path=f"/x/{token}",
            httponly=True,
            secure=web.sessions.secure,
            samesite="strict",
        )
        return response

    @router.get("/x/{token}/files/{file_id}", response_model=None)
    async def download(request: Request, token: str, file_id: str) -> Response:
        if not (TOKEN.match(token) and is_uuid(file_id)):
            return gone(request)
        headers = visitor(request, token).headers
        if wanted := request.headers.get("range"):
            headers["Range"] = wanted
        upstream = await stream(
            files.build_request(
                "GET", f"/api/v1/exchanges/{token}/files/{file_id}", headers=headers
            )
        )
        if upstream is None:
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
            return await public_page(request, token, upstream.status_code, refused=True)
        return gone(request)

    async def upload_via_link(request: Request, token: str, name: str, body: Any) -> httpx.Response:
        upstream = await stream(
            files.build_request(
                "PUT",
                f"/api/v1/exchanges/{token}/files/{quote(name, safe='')}",
                headers=visitor(request, token).headers,
                content=body,
            )
        )
        if upstream is None:
            return httpx.Response(503, json={"detail": words(request)["service_unavailable"]})
        await upstream.aread()
        await upstream.aclose()
        return upstream

    @router.post("/x/{token}/files", response_model=None)
    async def public_upload(request: Request, token: str) -> Response:
        """The upload form without script: the file is passed on while it arrives."""
        if not TOKEN.match(token):
            return gone(request)
        lang = language(request)
        form = FormStream(request.stream(), request.headers.get("content-type", ""), "file")
        fields = await form.fields()
        if not web.sessions.csrf_ok(request, fields.get("csrf_token", "")):
            errors = {"": TEXTS[lang]["session_expired"]}
            return await public_page(request, token, 403, errors=errors)
        if not form.filename:
            errors = {"file": TEXTS[lang]["exchange_choose_file"]}
            return await public_page(request, token, 422, errors=errors)
        answer = await upload_via_link(request, token, form.filename[:255], form.file_chunks())
        if answer.status_code in (404, 410):
            return gone(request)
        if answer.status_code != 201:
            message = problem_messages(answer, lang)
            errors = {"file": message.get("") or next(iter(message.values()))}
            return await public_page(request, token, answer.status_code, errors=errors)
        return web.redirect(request, None, f"/x/{token}?uploaded=1")

    @router.put("/x/{token}/files", response_model=None)
    async def scripted_upload(request: Request, token: str) -> Response:
        """The upload script's way in for a protected link: the password stays in its
        HttpOnly cookie, the body is passed on while it arrives."""
        name = request.query_params.get("name", "")[:255]
        if not (TOKEN.match(token) and name):
            return Response(status_code=404)
        if not web.sessions.csrf_ok(request):
            return Response(
                json.dumps({"detail": words(request)["session_expired"]}),
                status_code=403,
                media_type="application/problem+json",
            )
        answer = await upload_via_link(request, token, name, request.stream())
        return Response(
            answer.content,
            status_code=answer.status_code,
            media_type=answer.headers.get("content-type", "application/json"),
        )

    return router
