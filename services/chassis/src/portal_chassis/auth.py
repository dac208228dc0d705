"""Access-token verification against the identity JWKS (every service, zero trust).

Tokens are JWTs signed by identity (RS256, `kid` in the header). A verifier keeps the
JWKS for `jwks_cache_seconds` and refetches early when it meets an unknown `kid`
(a rotated key), at most once per `min_refresh_seconds` so forged kids cannot make it
hammer identity.

Verified tokens are remembered for a short while (never past their expiry): every
request of a session carries the same token, and each hop would otherwise check the
same signature again.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from portal_chassis.errors import NotFound, Unauthorized
from portal_chassis.revocation import RevocationList

ALGORITHMS = ["RS256"]
# A verified token is trusted again without a signature check for at most this long.
VERIFIED_TTL_SECONDS = 30.0
VERIFIED_MAX_ENTRIES = 10_000

STAFF_ROLES = frozenset({"agent", "admin"})


@dataclass(frozen=True)
class Actor:
    """The authenticated caller, as the token describes them."""

    id: uuid.UUID
    username: str
    organization_id: uuid.UUID | None
    roles: frozenset[str] = field(default_factory=frozenset)
    # OAuth scopes of a token issued to another application; None for the portal's own
    # sign-in, which scopes do not limit (see portal_chassis.scopes).
    scopes: frozenset[str] | None = None
    # The token itself, for calls this service makes on the caller's behalf.
    token: str = field(default="", repr=False, compare=False)
    # The sign-in the token belongs to (`sid`) and when it was issued (`iat`): what a
    # revocation refers to (portal_chassis.revocation).
    session_id: str | None = field(default=None, repr=False, compare=False)
    issued_at: float = field(default=0.0, repr=False, compare=False)
    # Permissions granted one by one, beside the roles: `review` (a customer who reviews
    # the organization's tickets before they go to the vendor).
    permissions: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def is_reviewer(self) -> bool:
        return not self.is_staff and "review" in self.permissions


JWKSSource = Callable[[], Awaitable[dict[str, Any]]]


class TokenVerifier:
    def __init__(
        self,
        source: JWKSSource,
        *,
        issuer: str,
        audience: str,
        cache_seconds: float = 300.0,
        min_refresh_seconds: float = 10.0,
        revocations: RevocationList | None = None,
    ) -> None:
        self._source = source
        self.revocations = revocations
        self._claims = JWTClaimsRegistry(
            iss={"essential": True, "value": issuer},
            aud={"essential": True, "value": audience},
            exp={"essential": True},
            sub={"essential": True},
        )
        self.cache_seconds = cache_seconds
        self.min_refresh_seconds = min_refresh_seconds
        self._keys: KeySet | None = None
        self._fetched_at = 0.0
        self._lock = asyncio.Lock()
        self._verified: dict[str, tuple[float, Actor, KeySet | None]] = {}

    async def _keyset(self, *, force: bool = False) -> KeySet:
        now = time.monotonic()
        fresh = self._keys is not None and now - self._fetched_at < self.cache_seconds
        if fresh and not force:
            return self._keys  # type: ignore[return-value]
        async with self._lock:
            now = time.monotonic()
            if self._keys is not None and now - self._fetched_at < self.min_refresh_seconds:
                return self._keys
            try:
                self._keys = KeySet.import_key_set(await self._source())  # type: ignore[arg-type]
                self._fetched_at = now
            except Exception as exc:
                if self._keys is None:
                    raise Unauthorized("Token keys are unavailable; try again shortly.") from exc
            return self._keys

    async def verify(self, token: str) -> Actor:
        now = time.time()
        # Remembered only while the key set it was checked with is the current one: a
        # refetched JWKS (a key retired) checks every token again.
        keys = await self._keyset()
        known = self._verified.get(token)
        if known is not None and known[0] > now and known[2] is keys:
            return await self._not_revoked(known[1])
        actor, expires = await self._check(token)
        if len(self._verified) >= VERIFIED_MAX_ENTRIES:
            self._verified = {k: v for k, v in self._verified.items() if v[0] > now}
            if len(self._verified) >= VERIFIED_MAX_ENTRIES:
                self._verified.clear()
        self._verified[token] = (min(expires, now + VERIFIED_TTL_SECONDS), actor, self._keys)
        return await self._not_revoked(actor)

    async def _not_revoked(self, actor: Actor) -> Actor:
        # Checked on every request, remembered tokens included: a revocation takes
        # effect with the next poll of the list, not when the token leaves the cache.
        if self.revocations is not None:
            await self.revocations.ensure_loaded()
            if self.revoked(actor):
                raise Unauthorized("The session has ended. Please sign in again.")
        return actor

    def revoked(self, actor: Actor) -> bool:
        """Whether the sign-in behind a verified token has been ended since (e.g. for a
        stream that outlives the request that opened it)."""
        return self.revocations is not None and self.revocations.revoked(
            user=str(actor.id), session=actor.session_id, issued_at=actor.issued_at
        )

    async def _check(self, token: str) -> tuple[Actor, float]:
        try:
            try:
                decoded = jwt.decode(token, await self._keyset(), algorithms=ALGORITHMS)
            except InvalidKeyIdError:
                decoded = jwt.decode(token, await self._keyset(force=True), algorithms=ALGORITHMS)
            self._claims.validate(decoded.claims)
            claims = decoded.claims
            org = claims.get("org")
            actor = Actor(
                id=uuid.UUID(str(claims["sub"])),
                username=str(claims.get("username", "")),
                organization_id=uuid.UUID(str(org)) if org else None,
                roles=frozenset(str(r) for r in claims.get("roles", [])),
                permissions=frozenset(str(p) for p in claims.get("permissions") or []),
                scopes=_scopes(claims),
                token=token,
                session_id=str(claims["sid"]) if claims.get("sid") else None,
                issued_at=float(claims.get("iat") or 0),
            )
            return actor, float(claims["exp"])
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise Unauthorized("The access token is invalid or expired.") from exc


def _scopes(claims: dict[str, Any]) -> frozenset[str] | None:
    """No `scope` claim means the portal's own sign-in (not limited). Tokens from the
    OAuth endpoints always carry one; should one lack it, its `client_id` still marks it
    as issued to another application, and it gets no scope at all."""
    scope = claims.get("scope")
    if scope is None and "client_id" not in claims:
        return None
    return frozenset(str(scope or "").split())


def client_address(request: Request) -> str:
    """The caller's address. Services are reachable only through the gateway, which sets
    `X-Forwarded-For` to the address it saw (it is the edge: it never appends)."""
    forwarded = request.headers.get("x-forwarded-for", "").split(",")[0].strip()
    if forwarded:
        return forwarded[:64]
    return request.client.host if request.client else "unknown"


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return None


# Declared so that each operation's OpenAPI document says how it authenticates (and,
# as "scopes" of the scheme, which roles it admits; see the gateway's edge.problem_docs). They
# never refuse anything themselves: the token is read and checked below.
BEARER = HTTPBearer(
    scheme_name="bearer",
    auto_error=False,
    description="An access token from `POST /api/v1/auth/login` or the OAuth token endpoint.",
)
OPTIONAL_BEARER = HTTPBearer(scheme_name="bearerOptional", auto_error=False)
Credentials = HTTPAuthorizationCredentials | None


async def _actor_of(request: Request) -> Actor | None:
    token = bearer_token(request)
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.portal.verifier
    return await verifier.verify(token)


async def optional_actor(
    request: Request, _declared: Annotated[Credentials, Security(OPTIONAL_BEARER)]
) -> Actor | None:
    return await _actor_of(request)


async def current_actor(
    request: Request, _declared: Annotated[Credentials, Security(BEARER)]
) -> Actor:
    actor = await _actor_of(request)
    if actor is None:
        raise Unauthorized("Sign in to continue.")
    return actor


def roles(*allowed: str) -> Callable[[Actor], Awaitable[Actor]]:
    """A dependency admitting callers with any of `allowed`; for everybody else the route
    does not exist (404, never 403). Declared as a route or router dependency it runs
    before FastAPI validates the query and body, so a caller without the role never
    learns the route's shape from a 422."""
    wanted = frozenset(allowed)

    async def check(actor: Actor) -> Actor:
        if not actor.roles & wanted:
            raise NotFound()
        return actor

    # Set here, not written in the signature: the annotation needs `wanted`, which a
    # postponed (string) annotation cannot see.
    check.__annotations__ = {
        "actor": Annotated[Actor, Security(current_actor, scopes=sorted(wanted))],
        "return": Actor,
    }
    check.__name__ = f"actor_with_{'_or_'.join(sorted(wanted))}"
    return check


staff_actor = roles(*STAFF_ROLES)
admin_actor = roles("admin")
# Administering users: admins for everybody, customer admins for their own organization
# (the use case checks which organization).
user_admin_actor = roles("admin", "customer_admin")
# Reading users and access requests: the service desk, and customer admins (their own).
user_reader_actor = roles(*STAFF_ROLES, "customer_admin")

ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
StaffDep = Annotated[Actor, Depends(staff_actor)]
AdminDep = Annotated[Actor, Depends(admin_actor)]
UserAdminDep = Annotated[Actor, Depends(user_admin_actor)]
UserReaderDep = Annotated[Actor, Depends(user_reader_actor)]
