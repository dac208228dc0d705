"""The gateway: the public edge in front of every service."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from portal_chassis.app import apply_common
from portal_chassis.auth import TokenVerifier, bearer_token
from portal_chassis.errors import problem
from portal_chassis.health import ops_router
from portal_chassis.platform import Platform
from portal_chassis.ratelimit import (
    Limit,
    LocalFirstRateLimiter,
    MemoryRateLimiter,
    rate_limiter_from_url,
)
from portal_chassis.revocation import RevocationList
from portal_chassis.stopping import cancel_and_wait, within
from portal_gateway.edge.api_docs import api_docs_router, swagger_ui_files
from portal_gateway.edge.middleware import (
    AddressRateLimit,
    BodyLimit,
    RateLimits,
    SecurityHeaders,
    too_many_requests,
)
from portal_gateway.edge.proxy import Upstreams
from portal_gateway.edge.routes import SERVICES, route
from portal_gateway.edge.sessions import SAFE_METHODS, Sessions
from portal_gateway.settings import GatewaySettings
from portal_gateway.web.account.routes import account_router
from portal_gateway.web.admin.routes import admin_router
from portal_gateway.web.base import STATIC, Web
from portal_gateway.web.desk.routes import desk_router
from portal_gateway.web.exchange.routes import exchange_router
from portal_gateway.web.faq.routes import faq_router
from portal_gateway.web.home.routes import pages_router
from portal_gateway.web.notifications import routes as notification_pages
from portal_gateway.web.reports.routes import report_router
from portal_gateway.web.tickets.detail import ticket_detail_router
from portal_gateway.web.tickets.routes import ticket_router

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# Paths where a stale access token is normal (signing in, refreshing, OIDC): the edge
# lets them through and identity decides.
TOKENLESS_PREFIXES = ("/api/v1/auth/", "/oauth/", "/.well-known/")


def service_checks_token_itself(path: str) -> bool:
    if path.startswith("/api/v1/exchanges/") and not path.startswith("/api/v1/exchanges/shares"):
        return True  # an exchange link: its token is the credential, not the session
    return path.startswith(TOKENLESS_PREFIXES)


def create_gateway_app(
    settings: GatewaySettings | None = None, *, platform: Platform | None = None
) -> FastAPI:
    settings = settings or GatewaySettings()
    platform = platform or Platform()
    upstreams = Upstreams(settings, SERVICES, platform.transports)

    async def fetch_jwks() -> dict:
        response = await upstreams.call("identity", "GET", "/.well-known/jwks.json", headers={})
        response.raise_for_status()
        return response.json()

    async def fetch_revocations(cursor: str | None) -> dict:
        params = {"since": cursor} if cursor else None
        response = await upstreams.call(
            "identity", "GET", "/internal/v1/revocations", headers={}, params=params
        )
        response.raise_for_status()
        return response.json()

    revocations = RevocationList(
        fetch_revocations, poll_seconds=settings.portal.revocation_poll_seconds
    )

    # One process (all-in-one): counts in memory; replicas share them in Redis, in
    # batches, so that a request far from its limit costs no round trip.
    limiter = (
        MemoryRateLimiter()
        if platform.embedded
        else LocalFirstRateLimiter(
            rate_limiter_from_url(settings.portal.redis_url, prefix="portal:gw:")
        )
    )
    limits = RateLimits(
        limiter,
        per_user=Limit(settings.rate_limit_per_user, 60) if settings.rate_limit_per_user else None,
        per_address=(
            Limit(settings.rate_limit_per_address, 60) if settings.rate_limit_per_address else None
        ),
    )
    verifier = TokenVerifier(
        fetch_jwks,
        issuer=settings.portal.issuer,
        audience=settings.portal.token_audience,
        cache_seconds=settings.portal.jwks_cache_seconds,
        revocations=revocations,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            # All-in-one: the services live in this process; start them in order.
            for app in platform.embedded.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            if platform.bus is not None and platform.embedded:
                await platform.bus.start()
                stack.push_async_callback(lambda: within(platform.bus.close(), what="event bus"))
            stack.push_async_callback(upstreams.aclose)
            if not platform.embedded:
                every = min(max(settings.breaker_reset_seconds / 2, 0.5), 5.0)
                watcher = asyncio.create_task(upstreams.watch(every), name="upstream-watch")
                stack.push_async_callback(_cancel, watcher)
            stack.push_async_callback(limiter.close)
            polling = asyncio.create_task(revocations.run(), name="revocations")
            stack.push_async_callback(_cancel, polling)
            for hook in platform.after_start:
                await hook()
            yield

    async def readiness() -> dict[str, bool]:
        checks: dict[str, bool] = {"gateway": True}
        # In all-in-one mode the process is only ready when every module is.
        results = await asyncio.gather(
            *(app.state.portal.readiness() for app in platform.embedded.values())
        )
        for name, result in zip(platform.embedded, results, strict=True):
            for check, ok in result.items():
                checks[f"{name}.{check}"] = ok
        return checks

    app = FastAPI(
        title="Customer Service Portal",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    sessions = Sessions(
        upstreams, verifier, secure=settings.portal.public_url.startswith("https://")
    )
    app.state.gateway = {
        "sessions": sessions,
        "settings": settings,
        "upstreams": upstreams,
        "verifier": verifier,
        "platform": platform,
    }
    apply_common(app, service="gateway")
    # Outermost last: security headers reach every answer, refusals included.
    app.add_middleware(
        BodyLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes
    )
    app.add_middleware(AddressRateLimit, limits=limits)
    app.add_middleware(
        SecurityHeaders,
        hsts_seconds=settings.hsts_seconds,
        always_https=settings.portal.public_url.startswith("https://"),
    )
    app.include_router(ops_router(readiness))

    async def proxy(request: Request) -> Response:
        match = route(request.url.path)
        if match is None:
            return problem(404, detail="No resource at this address.", instance=request.url.path)
        service, prefix = match
        request.scope["portal.route"] = prefix
        token = bearer_token(request)
        renewal = None
        user = None
        if token is not None:
            if not service_checks_token_itself(request.url.path):
                # Reject bad tokens at the edge; the service verifies again (zero trust).
                user = (await verifier.verify(token)).id
        elif service_checks_token_itself(request.url.path):
            pass  # sign-in and OIDC forms carry their own credentials, not the session
        elif (session := await sessions.from_cookies(request)) is not None:
            token, renewal, user = session.token, session.renewal, session.actor.id
            if request.method not in SAFE_METHODS and not sessions.csrf_ok(request):
                return problem(
                    403,
                    slug="csrf",
                    title="Missing or wrong CSRF token",
                    detail="Send the value of the portal_csrf cookie in the X-CSRF-Token header.",
                )
        if user is not None and (wait := await limits.check("user", str(user))) is not None:
            return too_many_requests(wait, request.url.path)
        response = await upstreams.forward(request, service, token=token)
        if renewal is not None:
            sessions.set_tokens(response, vars(renewal), remember=sessions.remembered(request))
        return response

    app.include_router(api_docs_router(upstreams))  # before the catch-all proxy routes
    # Plain Starlette routes: the proxy reads the request itself, so FastAPI's
    # parameter machinery would only cost time on the busiest path.
    for path in ("/api/v1/{rest:path}", "/.well-known/{rest:path}", "/oauth/{rest:path}"):
        app.add_route(path, proxy, methods=METHODS, include_in_schema=False)

    app.mount("/static/swagger-ui", swagger_ui_files(), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    web = app.state.web = Web(sessions, upstreams)
    app.include_router(pages_router(web))
    app.include_router(account_router(web))
    app.include_router(ticket_router(web))
    app.include_router(ticket_detail_router(web))
    app.include_router(exchange_router(web))
    app.include_router(report_router(web))
    app.include_router(desk_router(web))
    app.include_router(admin_router(web))
    app.include_router(faq_router(web))
    app.include_router(notification_pages.router)
    return app


async def _cancel(task: asyncio.Task[None]) -> None:
    await cancel_and_wait([task], what=task.get_name())
