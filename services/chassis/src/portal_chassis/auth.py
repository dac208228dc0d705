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

from fastapi import Depends, Request
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from portal_chassis.errors import NotFound, Unauthorized

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
    # The token itself, for calls this service makes on the caller's behalf.
    token: str = field(default="", repr=False, compare=False)

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & STAFF_ROLES)

    @property
    def is_admin(self) -> bool:
        return "admin" in self.roles

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


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
    ) -> None:
        self._source = source
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
            return known[1]
        actor, expires = await self._check(token)
        if len(self._verified) >= VERIFIED_MAX_ENTRIES:
            self._verified = {k: v for k, v in self._verified.items() if v[0] > now}
            if len(self._verified) >= VERIFIED_MAX_ENTRIES:
                self._verified.clear()
        self._verified[token] = (min(expires, now + VERIFIED_TTL_SECONDS), actor, self._keys)
        return actor

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
                token=token,
            )
            return actor, float(claims["exp"])
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise Unauthorized("The access token is invalid or expired.") from exc


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


async def optional_actor(request: Request) -> Actor | None:
    token = bearer_token(request)
    if token is None:
        return None
    verifier: TokenVerifier = request.app.state.portal.verifier
    return await verifier.verify(token)


async def current_actor(request: Request) -> Actor:
    actor = await optional_actor(request)
    if actor is None:
        raise Unauthorized("Sign in to continue.")
    return actor


async def staff_actor(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
    # Customers learn nothing about staff-only resources: they simply do not exist.
    if not actor.is_staff:
        raise NotFound()
    return actor


ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
StaffDep = Annotated[Actor, Depends(staff_actor)]
