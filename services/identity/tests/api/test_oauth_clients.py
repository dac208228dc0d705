"""Discovery, and the registration of OAuth clients by admins."""

from __future__ import annotations

import pytest
from identity_harness import Identity
from oauth_harness import OAuth
from sqlalchemy import select

from portal_identity.oidc.models import OAuthClient

pytestmark = pytest.mark.integration


async def test_discovery_names_every_endpoint_under_the_issuer(identity: Identity) -> None:
    r = await identity.client.get("/.well-known/openid-configuration")
    assert r.status_code == 200
    doc = r.json()
    assert doc["issuer"] == "https://portal.test"
    assert doc["authorization_endpoint"] == "https://portal.test/oauth/authorize"
    assert doc["token_endpoint"] == "https://portal.test/oauth/token"
    assert doc["userinfo_endpoint"] == "https://portal.test/oauth/userinfo"
    assert doc["jwks_uri"] == "https://portal.test/.well-known/jwks.json"
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert doc["id_token_signing_alg_values_supported"] == ["RS256"]
    assert set(doc["grant_types_supported"]) == {
        "authorization_code",
        "refresh_token",
        "client_credentials",
    }
    assert doc["scopes_supported"] == [
        "openid",
        "profile",
        "email",
        "tickets:read",
        "tickets:write",
        "files:read",
        "files:write",
        "faq:read",
        "faq:write",
        "profile:read",
        "profile:write",
        "notifications:read",
        "notifications:write",
        "admin",
    ]


async def test_the_client_secret_is_shown_once_and_stored_only_as_a_hash(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    assert client["client_secret"] and client["client_id"]
    listed = await identity.client.get(
        "/api/v1/admin/oauth-clients", headers=await identity.admin()
    )
    assert listed.status_code == 200
    [item] = listed.json()["items"]
    assert item["client_id"] == client["client_id"] and "client_secret" not in item
    async with identity.runtime.session_factory() as session:
        row = await session.scalar(select(OAuthClient))
    assert row is not None and row.secret_hash and client["client_secret"] not in row.secret_hash


async def test_a_public_client_gets_no_secret(oauth: OAuth) -> None:
    client = await oauth.register(token_endpoint_auth_method="none")
    assert client["client_secret"] is None


@pytest.mark.parametrize("roles", [["customer"], ["agent"]])
async def test_only_admins_manage_clients_everyone_else_gets_404(
    identity: Identity, oauth: OAuth, roles: list[str]
) -> None:
    client = await oauth.register()
    org = None
    if roles == ["customer"]:
        org = (await identity.organization("Acme"))["id"]
    await identity.user("someone", roles=roles, organization_id=org)
    headers = await identity.auth("someone")
    body = {"name": "Mine", "redirect_uris": ["https://x.example/cb"]}
    create = await identity.client.post("/api/v1/admin/oauth-clients", json=body, headers=headers)
    listed = await identity.client.get("/api/v1/admin/oauth-clients", headers=headers)
    deleted = await identity.client.delete(
        f"/api/v1/admin/oauth-clients/{client['client_id']}", headers=headers
    )
    assert [create.status_code, listed.status_code, deleted.status_code] == [404, 404, 404]


@pytest.mark.parametrize(
    "uri",
    [
        "http://app.example/callback",
        "ftp://app.example/callback",
        "/callback",
        "https://app.example/callback#fragment",
        "javascript:alert(1)",
    ],
)
async def test_redirect_uris_must_be_absolute_https_or_loopback_http(
    identity: Identity, uri: str
) -> None:
    r = await identity.client.post(
        "/api/v1/admin/oauth-clients",
        json={"name": "Bad", "redirect_uris": [uri]},
        headers=await identity.admin(),
    )
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"


async def test_loopback_http_redirect_uris_are_accepted(oauth: OAuth) -> None:
    client = await oauth.register(
        redirect_uris=["http://localhost:8080/cb", "http://127.0.0.1:9000/cb"]
    )
    assert client["redirect_uris"] == ["http://localhost:8080/cb", "http://127.0.0.1:9000/cb"]


@pytest.mark.parametrize(
    "fields",
    [
        {"roles": ["admin"], "grant_types": ["client_credentials"]},
        {"roles": ["agent"]},  # roles are only for the client's own tokens
        {"grant_types": ["client_credentials"], "token_endpoint_auth_method": "none"},
        {"scope": "openid offline_access"},
        {"redirect_uris": []},
    ],
    ids=[
        "admin-role",
        "roles-without-client-credentials",
        "public-client-credentials",
        "unknown-scope",
        "no-redirect-uri",
    ],
)
async def test_inconsistent_registrations_are_a_422(identity: Identity, fields: dict) -> None:
    body = {"name": "Bad", "redirect_uris": ["https://app.example/cb"], **fields}
    r = await identity.client.post(
        "/api/v1/admin/oauth-clients", json=body, headers=await identity.admin()
    )
    assert r.status_code == 422, r.text


async def test_a_deleted_client_can_no_longer_start_a_sign_in(
    identity: Identity, oauth: OAuth
) -> None:
    client = await oauth.register()
    path = f"/api/v1/admin/oauth-clients/{client['client_id']}"
    assert (await identity.client.delete(path, headers=await identity.admin())).status_code == 204
    assert (await identity.client.delete(path, headers=await identity.admin())).status_code == 404
    r = await identity.client.get("/oauth/authorize", params=oauth.params(client, "x" * 43))
    assert r.status_code == 400 and "location" not in r.headers
