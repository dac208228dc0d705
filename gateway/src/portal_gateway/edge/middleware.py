"""What the edge adds to every exchange: security headers on each answer, a limit on
request bodies, and rate limits per client address and per user.

Pure ASGI middleware, so streamed uploads, downloads and event streams pass untouched.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from prometheus_client import Counter
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_chassis.errors import problem
from portal_chassis.ratelimit import Limit, RateLimiter

log = logging.getLogger(__name__)

RATE_LIMITED = Counter(
    "portal_gateway_rate_limited_total", "Requests refused with 429, by limit.", ["limit"]
)
BODY_REFUSED = Counter(
    "portal_gateway_body_too_large_total", "Requests refused because their body was too large."
)

# Scripts and styles only from the portal itself: no inline script, no CDN.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI sets styles from its script; the API docs page alone allows that.
DOCS_CSP = CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")

# Bodies that may be large: attachments, case files and the file exchange.
UPLOAD_PATHS = re.compile(
    r"^/api/v1/(files|exchanges/[^/]+/files/[^/]+|exchanges/shares/[^/]+/files"
    r"|tickets/[^/]+/folders(/.*)?)$"
    # The pages' own upload forms, streamed on to the files service.
    r"|^/x/[^/]+/files$|^/exchanges/[^/]+/files$|^/tickets/[^/]+/files$"
)
UNLIMITED_PATHS = ("/static/", "/healthz", "/readyz", "/metrics")


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, hsts_seconds: int, always_https: bool) -> None:
        self.app = app
        self.hsts = f"max-age={hsts_seconds}; includeSubDomains" if hsts_seconds else ""
        self.always_https = always_https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = DOCS_CSP if path == "/api/docs" else CSP
        https = self.always_https or scope.get("scheme") == "https"
        extra = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
        ]
        if https and self.hsts:
            extra.append((b"strict-transport-security", self.hsts.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                headers = list(message.get("headers", []))
                headers += [(k, v) for k, v in extra if k not in present]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for a body over the limit: at once when Content-Length says so, otherwise as
    soon as the streamed body passes it (nothing more is read)."""

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        limit = self.max_upload if UPLOAD_PATHS.match(scope["path"]) else self.max_body
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        received = 0
        over = False  # the body passed the limit
        answered = False  # a response has begun (ours or the app's)

        async def counting_receive() -> Message:
            nonlocal received, over
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    over = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # Whoever read the body (this app, or a service behind the proxy) may have
            # turned the cut-off into an answer of its own: the refusal replaces it.
            nonlocal answered
            if message["type"] == "http.response.start":
                if answered:
                    return
                answered = True
                if over:
                    await self._refuse(scope, receive, send, limit)
                    return
            elif over:
                return
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not answered:
                answered = True
                await self._refuse(scope, receive, send, limit)

    @staticmethod
    async def _refuse(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        BODY_REFUSED.inc()
        response = problem(
            413,
            slug="body-too-large",
            title="Request body too large",
            detail=f"This address accepts at most {limit} bytes.",
            instance=scope["path"],
        )
        await response(scope, receive, send)


@dataclass(frozen=True)
class RateLimits:
    limiter: RateLimiter
    per_user: Limit | None
    per_address: Limit | None

    async def check(self, kind: str, key: str) -> int | None:
        """Count one request; the seconds to wait when it is over the limit, else None.
        A broken counter store lets requests through: limits protect, they never
        take the portal down."""
        limit = self.per_user if kind == "user" else self.per_address
        if limit is None:
            return None
        try:
            usage = await self.limiter.hit(f"gw:{kind}:{key}", limit)
        except Exception:
            log.warning("rate limit store unavailable", exc_info=True)
            return None
        if usage.count > limit.count:
            RATE_LIMITED.labels(kind).inc()
            return usage.retry_after
        return None


def too_many_requests(retry_after: int, path: str) -> JSONResponse:
    return problem(
        429,
        slug="rate-limited",
        title="Too many requests",
        detail=f"Too many requests. Try again in {retry_after} seconds.",
        instance=path,
        headers={"Retry-After": str(retry_after)},
    )


class AddressRateLimit:
    """Requests per minute per client address, for every path but static files and the
    operations endpoints."""

    def __init__(self, app: ASGIApp, *, limits: RateLimits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or path.startswith(UNLIMITED_PATHS):
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        if (wait := await self.limits.check("address", address)) is not None:
            response = too_many_requests(wait, path)
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
