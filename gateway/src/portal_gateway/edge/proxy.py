"""Forwarding public requests to the owning service, streaming both ways.

The same code serves both modes: in all-in-one mode the clients carry in-process ASGI
transports, in distributed mode they speak HTTP to each service's URL.

Failures are answered quickly and never replayed unsafely: a request without a body is
tried again when the service could not be reached (nothing was processed), a request with
a body never is (its stream is gone, and a POST is not idempotent); a read timeout is not
retried either, since the service may still be working on it. Each service has a circuit
breaker, so a service that is down costs callers no waiting.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import quote

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport
from prometheus_client import Counter
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from portal_chassis import context
from portal_chassis.errors import PROBLEM_JSON, problem
from portal_gateway.edge.replicas import Replica, ReplicaSet
from portal_gateway.settings import GatewaySettings

log = logging.getLogger(__name__)

UPSTREAM_RETRIES = Counter(
    "portal_gateway_upstream_retries_total",
    "Requests sent again after their service could not be reached.",
    ["upstream"],
)
RETRY_BACKOFF_SECONDS = (0.05, 0.2, 0.5)
REPLAYABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "DELETE"})
# An upstream answering these is unwell, not the request: it counts against the breaker.
UNWELL = frozenset({502, 503, 504})


class UpstreamFailure(Exception):
    """The service could not give an answer; `status` is what the caller gets."""

    def __init__(self, service: str, status: int, retry_after: int | None = None) -> None:
        self.service = service
        self.status = status
        self.retry_after = retry_after

    @property
    def detail(self) -> str:
        if self.status == 504:
            return f"The {self.service} service did not answer in time."
        return f"The {self.service} service is unavailable. Try again shortly."

    def response(self) -> Response:
        headers = {"Retry-After": str(self.retry_after)} if self.retry_after else None
        return problem(self.status, detail=self.detail, headers=headers)

    def as_httpx(self) -> httpx.Response:
        """The same answer as a response object, for pages that call a service."""
        body = {"type": "about:blank", "title": "Service unavailable", "status": self.status}
        body["detail"] = self.detail
        return httpx.Response(self.status, json=body, headers={"content-type": PROBLEM_JSON})


# Every printable ASCII character stays as the client sent it (a %-escape included, so
# nothing is decoded twice); control characters, spaces and other bytes are escaped.
URL_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))


def escaped(raw: bytes | str) -> str:
    """A path or query as URL text that a URL parser accepts whatever the client sent
    (control characters, raw bytes): the service decodes it and answers for itself."""
    return quote(raw, safe=URL_SAFE)


def upstream_target(scope: Mapping[str, Any]) -> httpx.URL:
    """The target to forward: the path as it arrived (`raw_path`, still encoded, so an
    encoded slash or percent sign reaches the service unchanged) and the query."""
    raw_path = scope.get("raw_path") or scope["path"].encode()
    return httpx.URL(path=escaped(raw_path), query=escaped(scope.get("query_string", b"")).encode())


STREAM_CHUNK = 256 * 1024
# Answers up to this size are read whole and sent in one piece: cheaper than a stream.
WHOLE_ANSWER_BYTES = 64 * 1024

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


# OAuth endpoints where a client authenticates itself with HTTP Basic (RFC 6749 §2.3.1,
# client_secret_basic): that header is the client's credential and goes through as it is.
CLIENT_AUTH_PATHS = frozenset({"/oauth/token"})


def client_credentials(request: Request) -> str | None:
    """The Authorization header of an OAuth client at its endpoints, if it is Basic."""
    if request.url.path not in CLIENT_AUTH_PATHS:
        return None
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return header if scheme.lower() == "basic" and value.strip() else None


def _wire(limits: httpx.Limits) -> AiohttpTransport:
    """HTTP to a service over aiohttp. Its session keeps no cookies (answers for one
    user must never ride along with another's request) and passes bodies as they are."""

    def session() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=limits.max_connections or 0, keepalive_timeout=limits.keepalive_expiry or 15
        )
        return aiohttp.ClientSession(
            connector=connector, cookie_jar=aiohttp.DummyCookieJar(), auto_decompress=False
        )

    return AiohttpTransport(client=session)


def _refused(exc: httpx.TransportError) -> bool:
    """The connection could not be made, so nothing of the request reached the service.
    (httpx-aiohttp reports a refused connection as a ConnectTimeout; its cause tells.)"""
    return isinstance(exc, httpx.ConnectError) or isinstance(
        exc.__cause__, aiohttp.ClientConnectorError
    )


class _Tracked(httpx.AsyncByteStream):
    """A streamed request body that tells whether sending it has begun: until then the
    request may still go to another replica."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.started = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        self.started = True
        async for chunk in self.inner:
            yield chunk

    async def aclose(self) -> None:
        if hasattr(self.inner, "aclose"):
            await self.inner.aclose()


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
        self.replicas = {
            name: ReplicaSet(
                name,
                settings.upstream_urls(name),
                failures=settings.breaker_failures,
                reset_seconds=settings.breaker_reset_seconds,
            )
            for name in services
        }
        self.transports = {name: transports.get(name) or _wire(limits) for name in services}
        # One client per service, to build requests (each is pointed at the replica
        # chosen for it); they are sent on its transport (`send`).
        self.clients = {
            name: httpx.AsyncClient(
                base_url=self.replicas[name].replicas[0].url,
                transport=self.transports[name],
                timeout=timeout,
                limits=limits,
            )
            for name in services
        }
        self.retries = max(0, settings.upstream_retries)

    async def send(
        self, service: str, request: httpx.Request, *, replayable: bool
    ) -> httpx.Response:
        """Send to one of the service's replicas, through its breaker. A request that
        reached no replica goes again (to the next one, if there are several): one without
        a body after any connection failure, one with a body only when the connection was
        refused before any of it was sent. Raises UpstreamFailure when no answer can be
        had."""
        pool = self.replicas[service]
        body = None
        if not isinstance(request.stream, httpx.ByteStream):
            body = request.stream = _Tracked(request.stream)
        for attempt in range(1 + self.retries):
            replica = pool.choose()
            if isinstance(replica, int):
                raise UpstreamFailure(service, 503, replica)
            replica.address(request)
            try:
                # Straight to the transport: the client's cookie jar, auth and redirect
                # steps have no place between the gateway and a service (a jar would even
                # carry a cookie from one caller's answer into another's request), and
                # they cost about 0.1 ms of CPU per request.
                response = await self.transports[service].handle_async_request(request)
                response.request = request
            except (httpx.ConnectError, httpx.ConnectTimeout, httpx.RemoteProtocolError) as exc:
                replica.breaker.failed()
                # Refused: nothing reached the service. A dropped kept-alive connection
                # (the other two) may have carried part of the request: only a request
                # without a body may go again then.
                unsent = _refused(exc) and not (body and body.started)
                if attempt < self.retries and (replayable or unsent):
                    UPSTREAM_RETRIES.labels(service).inc()
                    if len(pool) == 1:
                        await asyncio.sleep(RETRY_BACKOFF_SECONDS[min(attempt, 2)])
                    continue
                log.warning("upstream unreachable", extra={"upstream": service, "error": str(exc)})
                raise UpstreamFailure(service, 503) from exc
            except httpx.TimeoutException as exc:
                log.warning("upstream timed out", extra={"upstream": service})
                replica.breaker.failed()
                raise UpstreamFailure(service, 504) from exc
            except httpx.TransportError as exc:
                log.warning("upstream failed", extra={"upstream": service, "error": str(exc)})
                replica.breaker.failed()
                raise UpstreamFailure(service, 503) from exc
            if response.status_code in UNWELL:
                replica.breaker.failed()
            else:
                replica.breaker.succeeded()
            replica.answered(response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    async def watch(self, every: float) -> None:
        """Ask each replica whose circuit is open whether it is ready again, so that a
        restarted replica takes requests at once rather than when a trial happens to
        come its way (a background job of the distributed gateway)."""
        while True:
            await asyncio.sleep(every)
            for service, pool in self.replicas.items():
                for replica in pool.replicas:
                    if replica.breaker.is_open:
                        await self._probe(service, replica)

    async def _probe(self, service: str, replica: Replica) -> None:
        client = self.clients[service]
        request = client.build_request("GET", "/readyz", timeout=1.0)
        replica.address(request)
        try:
            answer = await client.send(request)
        except httpx.HTTPError:
            return
        if answer.status_code == 200:
            replica.breaker.succeeded()

    async def call(
        self, service: str, method: str, path: str, *, headers: dict[str, str], **kwargs: Any
    ) -> httpx.Response:
        """A page's call to a service, read whole. A failure comes back as a 503/504
        problem response, so a page shows a message instead of failing."""
        client = self.clients[service]
        # Pages build paths from decoded path parameters, which may hold anything.
        request = client.build_request(method, escaped(path), headers=headers, **kwargs)
        has_body = any(kwargs.get(k) is not None for k in ("content", "data", "files", "json"))
        replayable = method in REPLAYABLE_METHODS and not has_body
        try:
            response = await self.send(service, request, replayable=replayable)
        except UpstreamFailure as failure:
            return failure.as_httpx()
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response

    async def aclose(self) -> None:
        for client in self.clients.values():
            await client.aclose()

    async def forward(self, request: Request, service: str, *, token: str | None) -> Response:
        """Forward to `service`, authenticated with `token` (from the Authorization header
        or the browser session), or an OAuth client's Basic credentials at the token
        endpoint. Cookies stay at the edge: services never see them."""
        client = self.clients[service]
        dropped = HOP_BY_HOP | {"cookie", "authorization"} | FORWARDING
        headers = [
            (k, v) for k, v in request.headers.raw if k.decode("latin-1").lower() not in dropped
        ]
        if token is not None:
            headers.append((b"authorization", f"Bearer {token}".encode()))
        elif (basic := client_credentials(request)) is not None:
            headers.append((b"authorization", basic.encode("latin-1")))
        rid = context.request_id.get() or context.new_id()
        headers = [h for h in headers if h[0].lower() not in (b"x-request-id", b"x-correlation-id")]
        headers += [
            (b"x-request-id", rid.encode()),
            (b"x-correlation-id", (context.correlation_id.get() or rid).encode()),
            (b"x-forwarded-for", caller_address(request).encode()),
            (b"x-forwarded-proto", request.url.scheme.encode()),
            (b"x-forwarded-host", request.headers.get("host", "").encode()),
        ]
        has_body = "content-length" in request.headers or "transfer-encoding" in request.headers
        upstream_request = client.build_request(
            request.method,
            upstream_target(request.scope),
            headers=headers,
            content=request.stream() if has_body else None,
        )
        replayable = request.method in REPLAYABLE_METHODS and not has_body
        try:
            response = await self.send(service, upstream_request, replayable=replayable)
        except UpstreamFailure as failure:
            return failure.response()
        # Raw pairs keep repeated headers such as Set-Cookie.
        headers = [
            (k, v) for k, v in response.headers.raw if k.decode("latin-1").lower() not in HOP_BY_HOP
        ]
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) <= WHOLE_ANSWER_BYTES:
            try:
                body = await response.aread()
            except httpx.TransportError:
                return UpstreamFailure(service, 503).response()  # it died while answering
            finally:
                await response.aclose()
            whole = Response(body, status_code=response.status_code)
            whole.raw_headers = headers
            return whole
        # Fewer, larger writes: the per-chunk cost, not the copy, limits big downloads.
        # Event streams pass each event on at once instead of filling a chunk.
        live = response.headers.get("content-type", "").startswith("text/event-stream")
        streaming = StreamingResponse(
            response.aiter_raw(chunk_size=None if live else STREAM_CHUNK),
            status_code=response.status_code,
            background=BackgroundTask(response.aclose),
        )
        streaming.raw_headers = headers
        return streaming


# A client's own forwarding headers are its word, not a fact: the edge drops them and
# says what it saw. (The server has already taken a trusted proxy's X-Forwarded-For
# into the connection's client address: uvicorn's proxy headers, FORWARDED_ALLOW_IPS.)
FORWARDING = frozenset(
    {"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "forwarded", "x-real-ip"}
    # The browser's device, which only the gateway's own sign-in pages tell identity
    # (from their cookie): an API caller does not choose which device it is.
    | {"x-portal-device"}
)


def caller_address(request: Request) -> str:
    """The caller's address as the edge saw it: what per-address limits count and what
    the services are told. Never read from a header the client sent."""
    return request.client.host if request.client else "unknown"
