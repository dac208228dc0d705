"""The token endpoint: code exchange, replay, PKCE verification, refresh rotation and
client credentials."""

from __future__ import annotations

import uuid

import pytest
from identity_harness import PASSWORD, Identity
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry
from oauth_harness import OAuth, pkce

pytestmark = pytest.mark.integration


async def _verified(identity: Identity, token: str, **expected: object) -> dict:
    jwks = (await identity.client.get("/.well-known/jwks.json")).json()
    decoded = jwt.decode(token, KeySet.import_key_set(jwks), algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": "https://portal.test"},
        **{k: {"essential": True, "value": v} for k, v in expected.items()},
    ).validate(decoded.claims)
    return decoded.claims


async def test_the_code_gives_portal_tokens_and_an_id_token(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    user = await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    r = await oauth.exchange(client, code, verifier)
    assert r.status_code == 200, r.text
    assert r.headers["cache-control"] == "no-store"
    body = r.json()
    assert body["token_type"] == "Bearer" and body["scope"] == "openid profile email"
    access = await _verified(identity, body["access_token"], aud="portal", sub=user["id"])
    assert access["exp"] - access["iat"] == body["expires_in"]
    me = await identity.client.get(
        "/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"}
    )
    assert me.status_code == 200 and me.json()["username"] == "dora"
    id_token = await _verified(identity, body["id_token"], aud=client["client_id"], sub=user["id"])
    assert id_token["preferred_username"] == "dora" and id_token["email"] == "dora@example.com"
    assert id_token["locale"] == "en" and "auth_time" in id_token


async def test_a_public_client_exchanges_its_code_without_a_secret(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(token_endpoint_auth_method="none")
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    r = await oauth.exchange(client, code, verifier)
    assert r.status_code == 200, r.text


async def test_client_secret_post_works_for_a_client_registered_with_it(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(token_endpoint_auth_method="client_secret_post")
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    r = await oauth.exchange(client, code, verifier, client_secret=client["client_secret"])
    assert r.status_code == 200, r.text


async def test_a_replayed_code_is_invalid_grant_and_revokes_what_it_gave(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    first = await oauth.exchange(client, code, verifier)
    assert first.status_code == 200
    replay = await oauth.exchange(client, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    refresh = await oauth.token(
        client, grant_type="refresh_token", refresh_token=first.json()["refresh_token"]
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


async def test_a_wrong_code_verifier_is_invalid_grant(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    code, _ = await oauth.code(client, "dora")
    other_verifier, _ = pkce()
    r = await oauth.exchange(client, code, other_verifier)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"
    assert "access_token" not in r.json()


async def test_a_code_without_its_verifier_is_refused(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(token_endpoint_auth_method="none")
    await identity.user("dora", roles=["agent"])
    code, _ = await oauth.code(client, "dora")
    r = await oauth.token(
        client,
        grant_type="authorization_code",
        code=code,
        redirect_uri="https://app.example/callback",
    )
    assert r.status_code == 400 and r.json()["error"] == "invalid_request"


async def test_a_code_for_another_client_is_invalid_grant(identity: Identity, oauth: OAuth) -> None:
    mine, other = await oauth.register(), await oauth.register(name="Other")
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(mine, "dora")
    r = await oauth.exchange(other, code, verifier)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


async def test_refresh_rotates_and_the_old_token_is_refused(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    old = (await oauth.exchange(client, code, verifier)).json()["refresh_token"]
    rotated = await oauth.token(client, grant_type="refresh_token", refresh_token=old)
    assert rotated.status_code == 200, rotated.text
    new = rotated.json()["refresh_token"]
    assert new != old and rotated.json()["access_token"]
    again = await oauth.token(client, grant_type="refresh_token", refresh_token=old)
    assert again.status_code == 400 and again.json()["error"] == "invalid_grant"
    # Reuse of the old token revoked the whole chain, the new token included.
    after = await oauth.token(client, grant_type="refresh_token", refresh_token=new)
    assert after.status_code == 400 and after.json()["error"] == "invalid_grant"


async def test_a_deactivated_user_can_no_longer_refresh(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register()
    user = await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    refresh = (await oauth.exchange(client, code, verifier)).json()["refresh_token"]
    r = await identity.client.patch(
        f"/api/v1/admin/users/{user['id']}", json={"active": False}, headers=await identity.admin()
    )
    assert r.status_code == 200, r.text
    r = await oauth.token(client, grant_type="refresh_token", refresh_token=refresh)
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant"


async def test_client_credentials_give_a_verifiable_token_that_is_no_user(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(
        name="Nightly export",
        redirect_uris=[],
        grant_types=["client_credentials"],
        roles=["agent"],
        scope="profile",
    )
    r = await oauth.token(client, grant_type="client_credentials")
    assert r.status_code == 200, r.text
    body = r.json()
    assert "refresh_token" not in body and "id_token" not in body
    claims = await _verified(identity, body["access_token"], aud="portal")
    assert uuid.UUID(claims["sub"])
    assert claims["username"] == "client:Nightly export"
    assert claims["roles"] == ["agent"] and claims["org"] is None
    assert claims["exp"] - claims["iat"] == body["expires_in"]
    headers = {"Authorization": f"Bearer {body['access_token']}"}
    assert (await identity.client.get("/api/v1/me", headers=headers)).status_code == 401
    assert (await identity.client.get("/oauth/userinfo", headers=headers)).status_code == 401


async def test_client_credentials_with_a_wrong_secret_are_invalid_client(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register(redirect_uris=[], grant_types=["client_credentials"])
    r = await oauth.token(
        {**client, "client_secret": "not-the-secret"}, grant_type="client_credentials"
    )
    assert r.status_code == 401 and r.json()["error"] == "invalid_client"
    assert "access_token" not in r.json()


async def test_a_client_cannot_use_a_grant_it_was_not_given(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()  # authorization code and refresh token only
    r = await oauth.token(client, grant_type="client_credentials")
    assert r.status_code == 400 and r.json()["error"] == "unauthorized_client"


async def test_userinfo_answers_by_the_scope_of_the_token(identity: Identity, oauth: OAuth) -> None:
    client = await oauth.register(scope="openid email")
    user = await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    access = (await oauth.exchange(client, code, verifier)).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    for method in ("GET", "POST"):
        r = await identity.client.request(method, "/oauth/userinfo", headers=headers)
        assert r.status_code == 200
        assert r.json() == {"sub": user["id"], "email": "dora@example.com"}
    assert (await identity.client.get("/oauth/userinfo")).status_code == 401


async def test_an_applications_token_neither_reads_nor_ends_the_users_sign_ins(
    identity: Identity, oauth: OAuth
) -> None:
    """OpenID's `profile` reads the profile, not where the user signed in; and an
    application may not sign the user out of the portal's browsers."""
    client = await oauth.register()
    await identity.user("dora", roles=["agent"])
    code, verifier = await oauth.code(client, "dora")
    r = await oauth.exchange(client, code, verifier)
    assert r.status_code == 200, r.text
    app = {"Authorization": f"Bearer {r.json()['access_token']}"}
    assert (await identity.client.get("/api/v1/me", headers=app)).status_code == 200
    for method in ("GET", "DELETE"):
        refused = await identity.client.request(method, "/api/v1/me/sessions", headers=app)
        assert refused.status_code == 403, (method, refused.text)
        assert refused.headers["content-type"] == "application/problem+json"
    read = await identity.client.get("/api/v1/me/sessions", headers=app)
    assert read.json()["type"].endswith("/portal-sign-in-only")
    own = await identity.client.post(
        "/api/v1/auth/login", json={"username": "dora", "password": PASSWORD}
    )
    mine = {"Authorization": f"Bearer {own.json()['access_token']}"}
    listed = await identity.client.get("/api/v1/me/sessions", headers=mine)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
