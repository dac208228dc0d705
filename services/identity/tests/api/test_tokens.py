"""Access tokens: claims, every kind of bad token, and signing-key rotation."""

from __future__ import annotations

import base64
import json
import time
import uuid
from datetime import timedelta

import pytest
from identity_harness import Identity
from joserfc import jwt
from joserfc.jwk import KeySet

from portal_chassis.testing.tokens import claims_of
from portal_identity.keys.ring import keyring

pytestmark = pytest.mark.integration


async def test_access_token_carries_the_documented_claims(identity: Identity) -> None:
    acme = await identity.organization("Acme")
    user = await identity.user("ben", roles=["customer"], organization_id=acme["id"])
    token = (await identity.login("ben")).json()["access_token"]
    claims = claims_of(token)
    assert claims["sub"] == user["id"] and claims["org"] == acme["id"]
    assert claims["roles"] == ["customer"] and claims["username"] == "ben"
    assert claims["aud"] == "portal" and claims["iss"] == "https://portal.test"
    assert 0 < claims["exp"] - time.time() <= 15 * 60


def _forge(identity: Identity, **overrides: object) -> str:
    keys = keyring(identity.runtime)
    now = int(time.time())
    claims = {
        "iss": "https://portal.test",
        "aud": "portal",
        "sub": str(uuid.uuid4()),
        "roles": ["admin"],
        "iat": now,
        "exp": now + 60,
    }
    claims.update(overrides)
    return keys.sign(claims)


def _unsigned(claims: dict) -> str:
    def b64(obj: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."


@pytest.mark.parametrize(
    "make",
    [
        lambda i: _forge(i, exp=int(time.time()) - 5),
        lambda i: _forge(i, aud="another-app"),
        lambda i: _forge(i, iss="https://evil.test"),
        lambda i: _unsigned(
            {"sub": str(uuid.uuid4()), "aud": "portal", "iss": "https://portal.test"}
        ),
        lambda i: _forge(i)[:-6] + "AAAAAA",
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "alg-none", "tampered-signature"],
)
async def test_bad_tokens_are_a_401_problem(identity: Identity, make) -> None:
    r = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {make(identity)}"}
    )
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


async def test_rotation_keeps_old_tokens_valid_until_the_key_retires(identity: Identity) -> None:
    admin = await identity.admin()
    old_kid = _header_kid(admin)
    r = await identity.client.post("/api/v1/admin/signing-keys/rotate", headers=admin)
    assert r.status_code == 201
    new_kid = r.json()["kid"]
    assert new_kid != old_kid

    jwks = (await identity.client.get("/.well-known/jwks.json")).json()
    assert {k["kid"] for k in jwks["keys"]} == {old_kid, new_kid}
    assert all("d" not in k for k in jwks["keys"])  # public parts only
    assert (await identity.client.get("/api/v1/me", headers=admin)).status_code == 200

    fresh = await identity.admin()
    assert _header_kid(fresh) == new_kid
    decoded = jwt.decode(fresh["Authorization"].split()[1], KeySet.import_key_set(jwks))
    assert decoded.claims["roles"] == ["admin"]

    # Once the grace period is over the old key leaves the JWKS and its tokens stop working.
    ring = keyring(identity.runtime)
    ring.grace = timedelta(0)
    identity.runtime.verifier.min_refresh_seconds = 0
    identity.runtime.verifier.cache_seconds = 0
    jwks = (await identity.client.get("/.well-known/jwks.json")).json()
    assert {k["kid"] for k in jwks["keys"]} == {new_kid}
    assert (await identity.client.get("/api/v1/me", headers=admin)).status_code == 401
    assert (await identity.client.get("/api/v1/me", headers=fresh)).status_code == 200


def _header_kid(headers: dict[str, str]) -> str:
    head = headers["Authorization"].split()[1].split(".")[0]
    return json.loads(base64.urlsafe_b64decode(head + "=" * (-len(head) % 4)))["kid"]


async def test_only_admins_rotate_keys(identity: Identity) -> None:
    await identity.user("erik", roles=["agent"])
    r = await identity.client.post(
        "/api/v1/admin/signing-keys/rotate", headers=await identity.auth("erik")
    )
    assert r.status_code == 404
