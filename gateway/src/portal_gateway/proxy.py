"""Forwarding public requests to the owning service, streaming both ways.

The same code serves both modes: in all-in-one mode the clients carry in-process ASGI
transports, in distributed mode they speak HTTP to each service's URL.
"""

from __future__ import annotations

import logging

import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from portal_chassis import context
from portal_chassis.errors import problem
from portal_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

STREAM_CHUNK = 256 * 1024

# RFC 9110 §7.6.1 connection-specific headers, plus those the proxy recomputes.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
        "host",
    }
)


class Upstreams:
    def __init__(
        self,
        settings: GatewaySettings,
        services: tuple[str, ...],
        transports: dict[str, httpx.AsyncBaseTransport],
    ) -> None:
        timeout = httpx.Timeout(settings.upstream_timeout_seconds, connect=2.0)
        # Idle connections are dropped well before the services close them (75 s).
        limits = httpx.Limits(
            max_connections=200, max_keepalive_connections=50, keepalive_expiry=30
        )
        self.clients = {
            name: httpx.AsyncClient(
                base_url=settings.upstream_url(name),
                transport=transports.get(name),
                timeout=timeout,
                limits=limits,
            )
            for name in services
        }

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def forward(self, request: Request, service: str, *, token: str | None) -> Response:
        """Forward to `service`, authenticated with `token` (from the Authorization header
        or the browser session). Cookies stay at the edge: services never see them."""
        client = self.clients[service]
        dropped = HOP_BY_HOP | {"cookie", "authorization"}
        headers = [
            (k, v) for k, v in request.headers.raw if k.decode("latin-1").lower() not in dropped
        ]
        if token is not None:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        rid = context.request_id.get() or context.new_id()
        headers = [h for h in headers if h[0].lower() not in (b"x-request-id", b"x-correlation-id")]
        headers += [
            (b"x-request-id", rid.encode()),
            (b"x-correlation-id", (context.correlation_id.get() or rid).encode()),
            (b"x-forwarded-for", (request.client.host if request.client else "").encode()),
            (b"x-forwarded-proto", request.url.scheme.encode()),
            (b"x-forwarded-host", request.headers.get("host", "").encode()),
        ]
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        upstream_request = client.build_request(
            request.method,
            httpx.URL(path=request.url.path, query=request.url.query.encode("latin-1")),
            headers=headers,
            content=request.stream() if has_body else None,
        )
        try:
            response = await client.send(upstream_request, stream=True)
        except httpx.TimeoutException:
            log.warning("upstream timed out", extra={"upstream": service})
            return problem(504, detail=f"The {service} service did not answer in time.")
        except httpx.TransportError as exc:
            log.warning("upstream unreachable", extra={"upstream": service, "error": str(exc)})
            return problem(503, detail=f"The {service} service is unavailable. Try again shortly.")
        # Fewer, larger writes: the per-chunk cost, not the copy, limits big downloads.
        # Event streams pass each event on at once instead of filling a chunk.
        live = response.headers.get("content-type", "").startswith("text/event-stream")
        streaming = StreamingResponse(
            response.aiter_raw(chunk_size=None if live else STREAM_CHUNK),
            status_code=response.status_code,
            background=BackgroundTask(response.aclose),
        )
        # Raw pairs keep repeated headers such as Set-Cookie.
        streaming.raw_headers = [
            (k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in HOP_BY_HOP
        ]
        return streaming
