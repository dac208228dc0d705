"""The edge assembled: upstreams, token checks, rate limits, the proxy and its lifespan.

`Edge.app()` gives the FastAPI app with everything the public API needs; the web
portal is added on top of it in `portal_gateway.app`.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response

from portal_chassis.app import apply_common
from portal_chassis.auth import TokenVerifier, bearer_token
from portal_chassis.bus import EventBus
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
from portal_gateway.edge.second_factor import (
    MemoryPendingSignIns,
    PendingSignIns,
    pending_sign_ins_from_url,
)
from portal_gateway.edge.sessions import SAFE_METHODS, Sessions
from portal_gateway.settings import GatewaySettings

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

# Paths where a stale access token is normal (signing in, refreshing, OIDC): the edge
# lets them through and identity decides.
TOKENLESS_PREFIXES = ("/api/v1/auth/", "/oauth/", "/.well-known/")

# Paths the proxy serves; everything else belongs to the web portal.
PROXIED_PATHS = ("/api/v1/{rest:path}", "/.well-known/{rest:path}", "/oauth/{rest:path}")


def service_checks_token_itself(path: str) -> bool:
    if path.startswith("/api/v1/exchanges/") and not path.startswith("/api/v1/exchanges/shares"):
        return True  # an exchange link: its token is the credential, not the session
    return path.startswith(TOKENLESS_PREFIXES)


class IdentityFeeds:
    """What the edge reads from identity to check tokens on its own: the signing keys
    and the revoked sign-ins."""

    def __init__(self, upstreams: Upstreams) -> None:
        self._upstreams = upstreams

    async def signing_keys(self) -> dict[str, Any]:
        return await self._get("/.well-known/jwks.json")

    async def revocations(self, cursor: str | None) -> dict[str, Any]:
        return await self._get("/internal/v1/revocations", {"since": cursor} if cursor else None)

    async def _get(self, path: str, params: dict[str, str] | None = None) -> dict[str, Any]:
        response = await self._upstreams.call("identity", "GET", path, headers={}, params=params)
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer


def rate_limits(settings: GatewaySettings, platform: Platform) -> RateLimits:
    # One process (all-in-one): counts in memory; replicas share them in Redis, in
    # batches, so that a request far from its limit costs no round trip.
    limiter = (
        MemoryRateLimiter()
        if platform.embedded
        else LocalFirstRateLimiter(
            rate_limiter_from_url(settings.portal.redis_url, prefix="portal:gw:")
        )
    )
    per_user, per_address = settings.rate_limit_per_user, settings.rate_limit_per_address
    return RateLimits(
        limiter,
        per_user=Limit(per_user, 60) if per_user else None,
        per_address=Limit(per_address, 60) if per_address else None,
    )


def pending_sign_ins(settings: GatewaySettings, platform: Platform) -> PendingSignIns:
    # Like the counters: in memory in one process, in Redis for replicas (the code may
    # reach another replica than the password did).
    if platform.embedded:
        return MemoryPendingSignIns()
    return pending_sign_ins_from_url(settings.portal.redis_url)


@dataclass
class Edge:
    settings: GatewaySettings
    platform: Platform
    upstreams: Upstreams
    limits: RateLimits
    revocations: RevocationList
    verifier: TokenVerifier
    sessions: Sessions

    @classmethod
    def build(cls, settings: GatewaySettings, platform: Platform) -> Edge:
        upstreams = Upstreams(settings, SERVICES, platform.transports)
        feeds = IdentityFeeds(upstreams)
        revocations = RevocationList(
            feeds.revocations, poll_seconds=settings.portal.revocation_poll_seconds
        )
        verifier = TokenVerifier(
            feeds.signing_keys,
            issuer=settings.portal.issuer,
            audience=settings.portal.token_audience,
            cache_seconds=settings.portal.jwks_cache_seconds,
            revocations=revocations,
        )
        secure = settings.portal.public_url.startswith("https://")
        return cls(
            settings=settings,
            platform=platform,
            upstreams=upstreams,
            limits=rate_limits(settings, platform),
            revocations=revocations,
            verifier=verifier,
            sessions=Sessions(
                upstreams, verifier, secure=secure, pending=pending_sign_ins(settings, platform)
            ),
        )

    def app(self) -> FastAPI:
        """The edge's app: ops endpoints, API docs, the proxy and the middleware."""
        settings = self.settings
        app = FastAPI(
            title="Customer Service Portal",
            lifespan=self.lifespan,
            docs_url=None,
            redoc_url=None,
            openapi_url=None,
        )
        app.state.gateway = {
            "sessions": self.sessions,
            "settings": settings,
            "upstreams": self.upstreams,
            "verifier": self.verifier,
            "platform": self.platform,
        }
        apply_common(app, service="gateway")
        # Outermost last: security headers reach every answer, refusals included.
        app.add_middleware(
            BodyLimit, max_body=settings.max_body_bytes, max_upload=settings.max_upload_bytes
        )
        app.add_middleware(AddressRateLimit, limits=self.limits)
        app.add_middleware(
            SecurityHeaders,
            hsts_seconds=settings.hsts_seconds,
            always_https=settings.portal.public_url.startswith("https://"),
        )
        app.include_router(ops_router(self.readiness))
        app.include_router(api_docs_router(self.upstreams))  # before the catch-all proxy routes
        # Plain Starlette routes: the proxy reads the request itself, so FastAPI's
        # parameter machinery would only cost time on the busiest path.
        for path in PROXIED_PATHS:
            app.add_route(path, self.proxy, methods=METHODS, include_in_schema=False)
        app.mount("/static/swagger-ui", swagger_ui_files(), name="swagger-ui")
        return app

    @asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        platform = self.platform
        async with AsyncExitStack() as stack:
            # All-in-one: the services live in this process; start them in order.
            for app in platform.embedded.values():
                await stack.enter_async_context(app.router.lifespan_context(app))
            if platform.bus is not None and platform.embedded:
                await platform.bus.start()
                stack.push_async_callback(_close_bus, platform.bus)
            stack.push_async_callback(self.upstreams.aclose)
            if not platform.embedded:
                every = min(max(self.settings.breaker_reset_seconds / 2, 0.5), 5.0)
                watcher = asyncio.create_task(self.upstreams.watch(every), name="upstream-watch")
                stack.push_async_callback(_cancel, watcher)
            stack.push_async_callback(self.limits.limiter.close)
            stack.push_async_callback(self.sessions.pending.close)
            polling = asyncio.create_task(self.revocations.run(), name="revocations")
            stack.push_async_callback(_cancel, polling)
            for hook in platform.after_start:
                await hook()
            yield

    async def readiness(self) -> dict[str, bool]:
        checks: dict[str, bool] = {"gateway": True}
        embedded = self.platform.embedded
        # In all-in-one mode the process is only ready when every module is.
        results = await asyncio.gather(*(app.state.portal.readiness() for app in embedded.values()))
        for name, result in zip(embedded, results, strict=True):
            for check, ok in result.items():
                checks[f"{name}.{check}"] = ok
        return checks

    async def proxy(self, request: Request) -> Response:
        match = route(request.url.path)
        if match is None:
            return problem(404, detail="No resource at this address.", instance=request.url.path)
        service, prefix = match
        request.scope["portal.route"] = prefix
        token = bearer_token(request)
        renewal = None
        user = None
        sessions = self.sessions
        if token is not None:
            if not service_checks_token_itself(request.url.path):
                # Reject bad tokens at the edge; the service verifies again (zero trust).
                user = (await self.verifier.verify(token)).id
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
        if user is not None and (wait := await self.limits.check("user", str(user))) is not None:
            return too_many_requests(wait, request.url.path)
        response = await self.upstreams.forward(request, service, token=token)
        if renewal is not None:
            sessions.set_tokens(response, vars(renewal), remember=sessions.remembered(request))
        return response


async def _close_bus(bus: EventBus) -> None:
    await within(bus.close(), what="event bus")


async def _cancel(task: asyncio.Task[None]) -> None:
    await cancel_and_wait([task], what=task.get_name())
