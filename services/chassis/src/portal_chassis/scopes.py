"""OAuth scopes: what a token issued to another application may do on the API.

The API is split into areas (tickets, files, faq, profile, notifications); each has a read
scope (GET, HEAD, OPTIONS) and a write scope (every other method). Everything under
`/api/v1/admin/` needs `admin` as well as the admin role. Each router declares its area
once (`APIRouter(dependencies=[area_scope("tickets")])`); the rule is the same in every
service.

Tokens of the portal's own sign-in (`/api/v1/auth/login`, its refresh, browser sessions)
carry no `scope` claim and are not limited by scopes, only by roles. Every token the OAuth
endpoints issue carries `scope` (and `client_id`): see `Actor.scopes`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request

from portal_chassis.auth import Actor, bearer_token
from portal_chassis.errors import Forbidden, Unauthorized

OPENID_SCOPES: tuple[str, ...] = ("openid", "profile", "email")
AREAS: tuple[str, ...] = ("tickets", "files", "faq", "profile", "notifications")
ADMIN_SCOPE = "admin"
API_SCOPES: tuple[str, ...] = (
    *(f"{area}:{access}" for area in AREAS for access in ("read", "write")),
    ADMIN_SCOPE,
)
# Everything a client may be registered for and ask for; discovery lists these.
SCOPES: tuple[str, ...] = (*OPENID_SCOPES, *API_SCOPES)
# OpenID's `profile` already reveals the user's profile: it reads /api/v1/me too.
IMPLIED: dict[str, frozenset[str]] = {"profile": frozenset({"profile:read"})}

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ADMIN_PATHS = "/api/v1/admin/"


class InsufficientScope(Forbidden):
    """The token is valid, but was not issued for this (RFC 6750 §3.1)."""

    slug, title = "insufficient-scope", "Insufficient scope"

    def __init__(self, scope: str) -> None:
        super().__init__(f"This needs a token with the scope '{scope}'.", scope=scope)
        self.headers["WWW-Authenticate"] = f'Bearer error="insufficient_scope", scope="{scope}"'


def granted(actor: Actor) -> frozenset[str] | None:
    """The scopes the actor's token grants, implied ones included; None: not limited."""
    if actor.scopes is None:
        return None
    implied = (IMPLIED.get(scope, frozenset()) for scope in actor.scopes)
    return actor.scopes.union(*implied)


def allows(actor: Actor, scope: str) -> bool:
    scopes = granted(actor)
    return scopes is None or scope in scopes


def require_scope(actor: Actor, scope: str) -> None:
    if not allows(actor, scope):
        raise InsufficientScope(scope)


def needed_scope(area: str | None, method: str, path: str) -> str | None:
    if area == ADMIN_SCOPE or path.startswith(ADMIN_PATHS):
        return ADMIN_SCOPE
    if area is None:
        return None
    return f"{area}:{'read' if method.upper() in READ_METHODS else 'write'}"


def area_scope(area: str | None) -> Callable[..., Awaitable[None]]:
    """A router dependency: a caller with a token needs the area's read or write scope
    (by the method), or `admin` under /api/v1/admin/. `None` for a router of no API area
    (token keys, the OpenID Connect protocol): only its admin paths need a scope.
    Callers without a token pass on to the route, which decides whether it needs one."""
    if area is not None and area != ADMIN_SCOPE and area not in AREAS:
        raise ValueError(f"unknown API area {area!r}")

    async def check(request: Request) -> None:
        token = bearer_token(request)
        if token is None:
            return
        try:
            # The same verifier as the route's actor dependency (it remembers the token).
            actor: Actor = await request.app.state.portal.verifier.verify(token)
        except Unauthorized:
            return  # a bad token is the route's to refuse (public routes ignore it)
        if (needed := needed_scope(area, request.method, request.url.path)) is not None:
            require_scope(actor, needed)

    check.__name__ = f"scope_{area or 'none'}"
    return check
