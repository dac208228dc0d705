"""Request ids, correlation ids and one access-log line per request."""

from __future__ import annotations

import logging
import re
import time

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_chassis import context

log = logging.getLogger("portal.access")

# Probes, scrapes and the revocation list every verifier polls every few seconds.
_QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/internal/v1/revocations"})
# A survey's link (its page and its API) carries the token that is its only credential:
# the access log names the path without it.
_LINK_TOKEN = re.compile(r"^(/api/v1/surveys|/survey)/(?!preference$)[^/]+$")


def loggable_path(path: str) -> str:
    return _LINK_TOKEN.sub(r"\1/{token}", path)


class RequestContextMiddleware:
    """Takes `X-Request-ID` / `X-Correlation-ID` from the caller (the gateway) or makes
    them, exposes them to logs and events through context variables, and echoes them."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        rid = context.clean_id(headers.get("x-request-id")) or context.new_id()
        cid = context.clean_id(headers.get("x-correlation-id")) or rid
        # Set, not reset: the error handler that renders a 500 runs outside this
        # middleware and still needs the ids. Each request runs in its own context.
        context.request_id.set(rid)
        context.correlation_id.set(cid)
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                out = MutableHeaders(scope=message)
                out[context.REQUEST_ID_HEADER] = rid
                out[context.CORRELATION_ID_HEADER] = cid
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            if scope["path"] not in _QUIET_PATHS:
                log.info(
                    "request",
                    extra={
                        "service": self.service,
                        "method": scope["method"],
                        "path": loggable_path(scope["path"]),
                        "status": status,
                        "duration_ms": round((time.perf_counter() - start) * 1000, 2),
                    },
                )
