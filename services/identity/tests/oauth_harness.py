"""Test harness for the OpenID Connect provider: client registration, PKCE and the sign-in
form, driven through the identity service's HTTP API."""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from identity_harness import PASSWORD, Identity

REDIRECT_URI = "https://app.example/callback"


def pkce() -> tuple[str, str]:
    """A code_verifier and its S256 code_challenge."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


class _Form(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self.action: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self.action = attributes.get("action")
        if tag == "input" and attributes.get("type") == "hidden":
            self.fields[attributes["name"] or ""] = attributes.get("value") or ""


def sign_in_form(html: str) -> tuple[str | None, dict[str, str]]:
    """The sign-in form's action and hidden fields."""
    parser = _Form()
    parser.feed(html)
    return parser.action, parser.fields


class OAuth:
    """The OpenID Connect endpoints of an identity app, driven like a browser and a client."""

    def __init__(self, identity: Identity) -> None:
        self.identity = identity
        self.http = identity.client

    async def register(self, **fields: Any) -> dict[str, Any]:
        body = {
            "name": "Team Wiki",
            "redirect_uris": [REDIRECT_URI],
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_basic",
            # The flows, not consent: a first-party client's users are never asked.
            "first_party": True,
            **fields,
        }
        r = await self.http.post(
            "/api/v1/admin/oauth-clients", json=body, headers=await self.identity.admin()
        )
        assert r.status_code == 201, r.text
        return r.json()

    @staticmethod
    def params(client: dict[str, Any], challenge: str, **extra: str) -> dict[str, str]:
        return {
            "response_type": "code",
            "client_id": client["client_id"],
            "redirect_uri": REDIRECT_URI,
            "scope": "openid profile email",
            "state": "st-123",
            "nonce": secrets.token_urlsafe(12),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
            **extra,
        }

    async def sign_in(
        self, params: dict[str, str], username: str, password: str = PASSWORD
    ) -> httpx.Response:
        """Open the authorization URL, then submit its form like a browser would."""
        page = await self.http.get("/oauth/authorize", params=params)
        assert page.status_code == 200, page.text
        action, hidden = sign_in_form(page.text)
        assert action == "/oauth/authorize"
        return await self.http.post(
            action, data={**hidden, "username": username, "password": password}
        )

    async def code(self, client: dict[str, Any], username: str) -> tuple[str, str]:
        """A fresh authorization code for `username`, and its code_verifier."""
        verifier, challenge = pkce()
        r = await self.sign_in(self.params(client, challenge), username)
        assert r.status_code == 302, r.text
        return query_of(r.headers["location"])["code"], verifier

    async def token(self, client: dict[str, Any], **form: str) -> httpx.Response:
        auth = None
        if client["token_endpoint_auth_method"] == "client_secret_basic":
            auth = (client["client_id"], client["client_secret"])
        else:
            form["client_id"] = client["client_id"]
        return await self.http.post("/oauth/token", data=form, auth=auth)

    async def exchange(
        self, client: dict[str, Any], code: str, verifier: str, **form: str
    ) -> httpx.Response:
        return await self.token(
            client,
            grant_type="authorization_code",
            code=code,
            redirect_uri=REDIRECT_URI,
            code_verifier=verifier,
            **form,
        )


@dataclass
class Live:
    base_url: str
    app: Any
