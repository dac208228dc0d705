"""The whole sign-in as another tool does it: an independent OAuth client library
(requests-oauthlib, PKCE S256) against the service on a real socket, and the id_token
checked with PyJWT against the published JWKS."""

from __future__ import annotations

import asyncio
import secrets

import httpx
import jwt
import pytest
import requests
from identity_harness import ADMIN_PASSWORD, PASSWORD
from oauth_harness import Live, query_of, sign_in_form
from requests_oauthlib import OAuth2Session

pytestmark = pytest.mark.integration

# Nothing listens there: the browser would go on to it, the test only reads the redirect.
REDIRECT_URI = "http://127.0.0.1:9/callback"
# The service answers on a real socket of this busy 2-core machine, its first sign-in
# hashes a password: longer than httpx's 5 s default may pass (the bound only ends a
# failing run).
SECONDS = 60.0


async def test_code_flow_with_pkce_through_an_independent_client(live_identity: Live) -> None:
    base = live_identity.base_url
    async with httpx.AsyncClient(base_url=base, timeout=SECONDS) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
        r = await http.post(
            "/api/v1/admin/users",
            json={
                "username": "dora",
                "email": "dora@example.com",
                "roles": ["agent"],
                "password": PASSWORD,
                "language": "de",
                "display_name": "Dora Maar",
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        user_id = r.json()["id"]
        r = await http.post(
            "/api/v1/admin/oauth-clients",
            json={
                "name": "Team Wiki",
                "redirect_uris": [REDIRECT_URI],
                "grant_types": ["authorization_code", "refresh_token"],
                "token_endpoint_auth_method": "none",
                "first_party": True,
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        client_id = r.json()["client_id"]

        # The client discovers the endpoints and builds the authorization URL itself.
        config = (
            await asyncio.to_thread(
                requests.get, f"{base}/.well-known/openid-configuration", timeout=SECONDS
            )
        ).json()
        assert config["issuer"] == base
        session = OAuth2Session(
            client_id,
            redirect_uri=REDIRECT_URI,
            scope=["openid", "profile", "email"],
            pkce="S256",
        )
        nonce = secrets.token_urlsafe(16)
        url, state = session.authorization_url(config["authorization_endpoint"], nonce=nonce)

        # The browser: the sign-in page, then the form, then the redirect to the client.
        page = await http.get(url)
        assert page.status_code == 200 and "Team Wiki" in page.text
        action, hidden = sign_in_form(page.text)
        assert hidden["code_challenge_method"] == "S256"
        answer = await http.post(
            action or "", data={**hidden, "username": "dora", "password": PASSWORD}
        )
        assert answer.status_code == 302, answer.text
        location = answer.headers["location"]
        assert location.startswith(REDIRECT_URI) and query_of(location)["state"] == state

    # The client exchanges the code (with its code_verifier) ...
    token = await asyncio.to_thread(
        session.fetch_token,
        config["token_endpoint"],
        authorization_response=location,
        include_client_id=True,
        timeout=SECONDS,
    )
    assert token["token_type"] == "Bearer" and token["refresh_token"]

    # ... checks the id_token's signature and claims against the JWKS ...
    jwks = jwt.PyJWKClient(config["jwks_uri"])
    key = await asyncio.to_thread(jwks.get_signing_key_from_jwt, token["id_token"])
    id_token = jwt.decode(
        token["id_token"], key.key, algorithms=["RS256"], audience=client_id, issuer=base
    )
    assert id_token["nonce"] == nonce and id_token["sub"] == user_id
    assert id_token["preferred_username"] == "dora" and id_token["name"] == "Dora Maar"
    assert id_token["locale"] == "de" and id_token["auth_time"] <= id_token["iat"]

    # ... asks userinfo, and uses the access token on the portal's API.
    info = await asyncio.to_thread(session.get, config["userinfo_endpoint"], timeout=SECONDS)
    assert info.status_code == 200
    assert info.json() == {
        "sub": user_id,
        "preferred_username": "dora",
        "name": "Dora Maar",
        "email": "dora@example.com",
        "locale": "de",
    }
    me = await asyncio.to_thread(session.get, f"{base}/api/v1/me", timeout=SECONDS)
    assert me.status_code == 200 and me.json()["username"] == "dora"

    # The refresh token works through the library too, and is rotated.
    refreshed = await asyncio.to_thread(
        session.refresh_token, config["token_endpoint"], client_id=client_id, timeout=SECONDS
    )
    assert refreshed["refresh_token"] != token["refresh_token"]
