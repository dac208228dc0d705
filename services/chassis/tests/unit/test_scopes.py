"""OAuth scopes: how a token's `scope` claim becomes the actor's scopes, and the one rule
every router declares (area read for GET/HEAD, area write otherwise, admin paths need
`admin`), answered with 403 insufficient-scope."""

import time
import uuid
from types import SimpleNamespace

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from portal_chassis.app import apply_common
from portal_chassis.auth import Actor, ActorDep, TokenVerifier
from portal_chassis.scopes import SCOPES, allows, area_scope, needed_scope

ISSUER, AUDIENCE = "https://portal.test", "portal"
KEY = RSAKey.generate_key(2048, parameters={"kid": "k", "alg": "RS256", "use": "sig"})


def _token(**extra: object) -> str:
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "sub": str(uuid.uuid4()),
        "username": "anna",
        "roles": ["customer"],
        "iat": now,
        "exp": now + 300,
        **extra,
    }
    return jwt.encode({"alg": "RS256", "kid": "k"}, claims, KEY, algorithms=["RS256"])


async def _actor(**extra: object) -> Actor:
    async def keys() -> dict:
        return KeySet([KEY]).as_dict(private=False)

    verifier = TokenVerifier(keys, issuer=ISSUER, audience=AUDIENCE)
    return await verifier.verify(_token(**extra))


async def test_a_token_without_scope_is_the_portals_own_sign_in_and_unlimited() -> None:
    actor = await _actor()
    assert actor.scopes is None
    assert all(allows(actor, scope) for scope in SCOPES)


async def test_a_token_with_scope_has_exactly_those_scopes() -> None:
    actor = await _actor(scope="openid tickets:read", client_id="wiki")
    assert actor.scopes == {"openid", "tickets:read"}
    assert allows(actor, "tickets:read") and not allows(actor, "tickets:write")


@pytest.mark.parametrize("scope", ["", None])
async def test_a_client_token_without_scopes_may_do_nothing(scope: str | None) -> None:
    # An empty scope, or (should one ever be minted) a client's token without the claim.
    claims = {"client_id": "wiki"} if scope is None else {"scope": scope}
    actor = await _actor(**claims)
    assert actor.scopes == frozenset()
    assert not any(allows(actor, s) for s in SCOPES)


async def test_openid_profile_also_reads_the_profile() -> None:
    actor = await _actor(scope="openid profile", client_id="wiki")
    assert allows(actor, "profile:read") and not allows(actor, "profile:write")


@pytest.mark.parametrize(
    ("area", "method", "path", "needed"),
    [
        ("tickets", "GET", "/api/v1/tickets", "tickets:read"),
        ("tickets", "HEAD", "/api/v1/tickets", "tickets:read"),
        ("tickets", "POST", "/api/v1/tickets", "tickets:write"),
        ("tickets", "PATCH", "/api/v1/tickets/7", "tickets:write"),
        ("files", "DELETE", "/api/v1/files/x", "files:write"),
        ("profile", "GET", "/api/v1/me", "profile:read"),
        ("profile", "GET", "/api/v1/admin/users", "admin"),
        ("admin", "POST", "/api/v1/access-requests", "admin"),
        (None, "GET", "/.well-known/jwks.json", None),
        (None, "POST", "/api/v1/admin/signing-keys/rotate", "admin"),
    ],
)
def test_the_needed_scope_follows_area_and_method(
    area: str | None, method: str, path: str, needed: str | None
) -> None:
    assert needed_scope(area, method, path) == needed


def test_an_unknown_area_is_refused_when_the_router_is_declared() -> None:
    with pytest.raises(ValueError, match="ticket"):
        area_scope("ticket")


def _app(actor: Actor | None) -> FastAPI:
    app = FastAPI()
    apply_common(app, service="test")
    router = APIRouter(prefix="/api/v1/tickets", dependencies=[Depends(area_scope("tickets"))])

    @router.get("")
    async def listing() -> dict:
        return {"items": []}

    @router.post("", status_code=201)
    async def create(actor: ActorDep) -> dict:
        return {"by": actor.username}

    app.include_router(router)

    class Verifier:
        async def verify(self, token: str) -> Actor:
            assert actor is not None and token == "t"
            return actor

    app.state.portal = SimpleNamespace(verifier=Verifier())
    return app


async def _call(actor: Actor | None, method: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=_app(actor))
    headers = {"Authorization": "Bearer t"} if actor is not None else {}
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        return await client.request(method, "/api/v1/tickets", headers=headers)


async def test_a_read_scope_reads_but_does_not_write() -> None:
    actor = Actor(uuid.uuid4(), "anna", None, frozenset({"customer"}), frozenset({"tickets:read"}))
    assert (await _call(actor, "GET")).status_code == 200
    r = await _call(actor, "POST")
    assert r.status_code == 403
    assert r.headers["content-type"] == "application/problem+json"
    body = r.json()
    assert body["type"].endswith("/insufficient-scope") and body["scope"] == "tickets:write"
    assert "tickets:write" in body["detail"]
    assert 'error="insufficient_scope"' in r.headers["www-authenticate"]


async def test_unlimited_and_anonymous_callers_pass_the_scope_rule() -> None:
    first_party = Actor(uuid.uuid4(), "anna", None, frozenset({"customer"}))
    assert (await _call(first_party, "POST")).status_code == 201
    # Without a token the route decides: the listing needs none, creating does.
    assert (await _call(None, "GET")).status_code == 200
    assert (await _call(None, "POST")).status_code == 401
