"""Prometheus metrics shared by every service.

All services of one process share the default registry (the all-in-one mode runs them
side by side), so every series carries a bounded `service` label.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    start_http_server,
)
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from portal_chassis.errors import problem

log = logging.getLogger(__name__)

# How often a server recounts the gauges it reads from its database.
GAUGE_REFRESH_SECONDS = 15.0

HTTP_REQUESTS = Counter(
    "portal_http_requests_total",
    "HTTP requests answered, by route template and status code.",
    ["service", "method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    "portal_http_request_duration_seconds",
    "Time from request start to the end of the response, by route template.",
    ["service", "method", "route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter(
    "portal_events_published_total", "Events confirmed by the broker.", ["service", "type"]
)
EVENTS_CONSUMED = Counter(
    "portal_events_consumed_total",
    "Events a consumer handled successfully.",
    ["service", "consumer"],
)
EVENTS_DUPLICATE = Counter(
    "portal_events_duplicate_total",
    "Events skipped because the inbox had seen them.",
    ["service", "consumer"],
)
EVENTS_FAILED = Counter(
    "portal_events_failed_total", "Consumer attempts that raised.", ["service", "consumer"]
)
EVENTS_DEAD_LETTERED = Counter(
    "portal_events_dead_lettered_total", "Events given up after the last retry.", ["queue"]
)
OUTBOX_BACKLOG = Gauge(
    "portal_outbox_backlog", "Outbox events not yet confirmed by the broker.", ["service"]
)
OUTBOX_LAG = Gauge(
    "portal_outbox_lag_seconds", "Age of the oldest unpublished outbox event.", ["service"]
)
OUTBOX_PUBLISH_FAILURES = Counter(
    "portal_outbox_publish_failures_total",
    "Relay batches the broker did not confirm.",
    ["service"],
)


class _Exposition:
    """Whether this process serves its metrics on a port of their own."""

    elsewhere = False


def serve_on_own_port(port: int) -> None:
    """Serve /metrics on `port` (a thread of prometheus_client) instead of the app's."""
    start_http_server(port)
    _Exposition.elsewhere = True
    log.info("metrics served on their own port", extra={"port": port})


def metrics_response(_request: Request) -> Response:
    if _Exposition.elsewhere:
        return problem(404, detail="Not found.")
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


async def keep_fresh(
    refresh: Callable[[], Awaitable[None]], *, name: str, every: float = GAUGE_REFRESH_SECONDS
) -> None:
    """Run `refresh` now and then every `every` seconds, until cancelled.

    Gauges counted from the database are right whichever process changed the rows, and
    the same in every replica; a failed round keeps the last values (the database may be
    away for a moment) and the next round tries again."""
    while True:
        try:
            await refresh()
        except Exception:
            log.warning("could not refresh a gauge", extra={"gauge": name}, exc_info=True)
        await asyncio.sleep(every)


class MetricsMiddleware:
    """Counts and times every request by its route *template* (bounded label values)."""

    def __init__(self, app: ASGIApp, *, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 500

        async def send_wrapper(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route = _route_template(scope)
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            HTTP_REQUESTS.labels(self.service, method, route, str(status)).inc()
            HTTP_LATENCY.labels(self.service, method, route).observe(time.perf_counter() - start)


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _route_template(scope: Scope) -> str:
    # A proxy names its own bounded label (the gateway: the owning service's prefix).
    if label := scope.get("portal.route"):
        return str(label)
    route = scope.get("route")
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else "unmatched"
