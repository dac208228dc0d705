"""Signing in with the portal as another tool does it: an independent OAuth client library
(Authlib's httpx client) against the all-in-one portal on a real socket, through the
gateway, with every client authentication method that discovery advertises."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import uvicorn
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import AsyncOAuth2Client
from portal_harness import ADMIN_PASSWORD, PASSWORD

from portal_chassis.settings import PortalSettings
from portal_chassis.testing.cluster import free_port
from portal_ops.allinone import create_allinone_app

# Nothing listens there: the browser would go on to it, the test only reads the redirect.
REDIRECT_URI = "http://127.0.0.1:9/callback"
# The portal shares the event loop with the test on a busy 2-core machine: a first request
# to a cold service may take longer than httpx's 5 s default.
TIMEOUT = httpx.Timeout(60.0)


class _Form(HTMLParser):
    """The fields of the page's form: hidden ones and the named submit buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form":
            self.action = a.get("action")
        if tag == "input" and a.get("type") == "hidden":
            self.fields[a["name"] or ""] = a.get("value") or ""


def _form(html: str) -> _Form:
    parser = _Form()
    parser.feed(html)
    return parser


@pytest.fixture
async def live_portal(tmp_path: Path) -> AsyncIterator[str]:
    """The all-in-one portal (gateway in front) at http://127.0.0.1:<port>."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_allinone_app(
        portal=PortalSettings(
            data_dir=tmp_path, bootstrap_admin_password=ADMIN_PASSWORD, public_url=base
        )
    )
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    task = asyncio.create_task(server.serve())
    try:
        deadline = asyncio.get_running_loop().time() + 60
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the portal stopped during start-up")
            assert asyncio.get_running_loop().time() < deadline, "the portal did not start"
            await asyncio.sleep(0.05)
        yield base
    finally:
        server.should_exit = True
        await task


async def _setup(base: str) -> tuple[dict[str, str], dict[str, Any]]:
    """The admin's headers, and discovery."""
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert login.status_code == 200, login.text
        admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
        r = await http.post(
            "/api/v1/admin/users",
            json={
                "username": "dora",
                "email": "dora@example.com",
                "roles": ["agent"],
                "password": PASSWORD,
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        config = (await http.get("/.well-known/openid-configuration")).json()
    assert config["issuer"] == base
    assert set(config["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
        "none",
    }
    return admin, config


async def _register(base: str, admin: dict[str, str], **fields: Any) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as http:
        r = await http.post(
            "/api/v1/admin/oauth-clients",
            json={"redirect_uris": [REDIRECT_URI], **fields},
            headers=admin,
        )
    assert r.status_code == 201, r.text
    return r.json()


async def _browser_signs_in(base: str, url: str, *, consent: bool) -> str:
    """The user's browser: the sign-in page, (the consent page,) then the redirect."""
    async with httpx.AsyncClient(base_url=base, timeout=TIMEOUT) as browser:
        page = await browser.get(url)
        assert page.status_code == 200, page.text
        form = _form(page.text)
        answer = await browser.post(
            form.action or "", data={**form.fields, "username": "dora", "password": PASSWORD}
        )
        if consent:
            assert answer.status_code == 200 and "/oauth/consent" in answer.text, answer.text
            form = _form(answer.text)
            answer = await browser.post(
                form.action or "", data={**form.fields, "decision": "allow"}
            )
        assert answer.status_code == 302, answer.text
        location = answer.headers["location"]
    assert location.startswith(REDIRECT_URI)
    return location


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_confidential_clients_through_the_gateway(live_portal: str, method: str) -> None:
    base = live_portal
    admin, config = await _setup(base)
    registered = await _register(
        base,
        admin,
        name="Partner tool",
        grant_types=["authorization_code", "refresh_token"],
        token_endpoint_auth_method=method,
        scope="openid profile tickets:read",
    )
    async with AsyncOAuth2Client(
        registered["client_id"],
        registered["client_secret"],
        timeout=TIMEOUT,
        scope="openid profile tickets:read",
        redirect_uri=REDIRECT_URI,
        token_endpoint_auth_method=method,
        code_challenge_method="S256",
    ) as client:
        verifier = generate_token(48)
        url, state = client.create_authorization_url(
            config["authorization_endpoint"], code_verifier=verifier, nonce=secrets.token_hex(8)
        )
        location = await _browser_signs_in(base, url, consent=True)
        token = await client.fetch_token(
            config["token_endpoint"],
            authorization_response=location,
            code_verifier=verifier,
            state=state,
        )
        assert token["scope"] == "openid profile tickets:read" and token["id_token"]
        info = await client.get(config["userinfo_endpoint"])
        assert info.status_code == 200 and info.json()["preferred_username"] == "dora"
        assert (await client.get(f"{base}/api/v1/tickets")).status_code == 200
        created = await client.post(f"{base}/api/v1/tickets", json={"title": "Via app"})
        assert created.status_code == 403 and created.json()["scope"] == "tickets:write"
        # The refresh grant authenticates the same way.
        refreshed = await client.refresh_token(config["token_endpoint"])
        assert refreshed["access_token"] != token["access_token"]


async def test_client_credentials_with_basic_auth_through_the_gateway(live_portal: str) -> None:
    base = live_portal
    admin, config = await _setup(base)
    registered = await _register(
        base,
        admin,
        name="Nightly export",
        redirect_uris=[],
        grant_types=["client_credentials"],
        roles=["agent"],
        scope="tickets:read",
    )
    async with AsyncOAuth2Client(
        registered["client_id"],
        registered["client_secret"],
        timeout=TIMEOUT,
        token_endpoint_auth_method="client_secret_basic",
    ) as client:
        token = await client.fetch_token(config["token_endpoint"], grant_type="client_credentials")
        assert token["scope"] == "tickets:read"
        assert (await client.get(f"{base}/api/v1/tickets")).status_code == 200


async def test_a_public_client_with_pkce_through_the_gateway(live_portal: str) -> None:
    base = live_portal
    admin, config = await _setup(base)
    registered = await _register(
        base,
        admin,
        name="Desktop app",
        grant_types=["authorization_code", "refresh_token"],
        token_endpoint_auth_method="none",
        first_party=True,
        scope="openid profile:read",
    )
    assert registered["client_secret"] is None
    async with AsyncOAuth2Client(
        registered["client_id"],
        timeout=TIMEOUT,
        scope="openid profile:read",
        redirect_uri=REDIRECT_URI,
        token_endpoint_auth_method="none",
        code_challenge_method="S256",
    ) as client:
        verifier = generate_token(48)
        url, _ = client.create_authorization_url(
            config["authorization_endpoint"], code_verifier=verifier
        )
        # First-party: no consent page.
        location = await _browser_signs_in(base, url, consent=False)
        assert "code" in parse_qs(urlsplit(location).query)
        token = await client.fetch_token(
            config["token_endpoint"], authorization_response=location, code_verifier=verifier
        )
        me = await client.get(f"{base}/api/v1/me")
        assert me.status_code == 200 and me.json()["username"] == "dora"
        changed = await client.patch(f"{base}/api/v1/me", json={"display_name": "X"})
        assert changed.status_code == 403 and changed.json()["scope"] == "profile:write"
        refreshed = await client.refresh_token(config["token_endpoint"])
        assert refreshed["refresh_token"] != token["refresh_token"]
