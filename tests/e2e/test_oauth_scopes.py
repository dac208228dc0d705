"""OAuth scopes across the services, through the gateway: a token issued to a client
may do what its scopes allow and nothing else; the portal's own sign-ins (API login,
browser session) are not limited by scopes. The client authenticates at the token
endpoint with HTTP Basic, which the gateway passes on."""

from __future__ import annotations

import base64
import hashlib
import secrets
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from portal_harness import PASSWORD, Portal
from web_kit import sign_in

REDIRECT_URI = "https://app.example/callback"


async def _client(world: Portal, scope: str) -> dict[str, Any]:
    r = await world.client.post(
        "/api/v1/admin/oauth-clients",
        json={
            "name": f"Tool {scope}",
            "redirect_uris": [REDIRECT_URI],
            "scope": scope,
            "first_party": True,
        },
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    assert r.json()["token_endpoint_auth_method"] == "client_secret_basic"
    return r.json()


async def _token(world: Portal, username: str, scope: str) -> dict[str, str]:
    """`username`'s access token for a client with `scope`, by the code flow."""
    client = await _client(world, scope)
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    params = {
        "response_type": "code",
        "client_id": client["client_id"],
        "redirect_uri": REDIRECT_URI,
        "scope": scope,
        "state": "s1",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = await world.client.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    signed_in = await world.client.post(
        "/oauth/authorize", data={**params, "username": username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, signed_in.text
    code = parse_qs(urlsplit(signed_in.headers["location"]).query)["code"][0]
    answer = await world.client.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT_URI,
            "code_verifier": verifier,
        },
        auth=(client["client_id"], client["client_secret"]),  # client_secret_basic
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["scope"] == scope
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _insufficient(r: httpx.Response, scope: str) -> None:
    assert r.status_code == 403, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/insufficient-scope") and r.json()["scope"] == scope


async def test_an_openid_token_may_sign_in_but_not_create_tickets_or_change_the_profile(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    headers = await _token(world, "ben", "openid")
    _insufficient(
        await world.client.post("/api/v1/tickets", json={"title": "Via app"}, headers=headers),
        "tickets:write",
    )
    _insufficient(
        await world.client.patch("/api/v1/me", json={"display_name": "X"}, headers=headers),
        "profile:write",
    )
    _insufficient(await world.client.get("/api/v1/files/x", headers=headers), "files:read")
    _insufficient(
        await world.client.get("/api/v1/notifications", headers=headers), "notifications:read"
    )
    info = await world.client.get("/oauth/userinfo", headers=headers)
    assert info.status_code == 200 and info.json() == {"sub": world.ids["ben"]}


async def test_a_read_scope_lists_tickets_but_cannot_create_them(sqlite_world: Portal) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben", title="Printer jams")  # the portal's own sign-in
    headers = await _token(world, "ben", "tickets:read")
    listed = await world.client.get("/api/v1/tickets", headers=headers)
    assert listed.status_code == 200, listed.text
    assert [t["number"] for t in listed.json()["items"]] == [ticket["number"]]
    shown = await world.client.get(f"/api/v1/tickets/{ticket['number']}", headers=headers)
    assert shown.status_code == 200
    _insufficient(
        await world.client.post("/api/v1/tickets", json={"title": "Via app"}, headers=headers),
        "tickets:write",
    )
    _insufficient(
        await world.client.post(
            f"/api/v1/tickets/{ticket['number']}/articles", json={"body": "x"}, headers=headers
        ),
        "tickets:write",
    )
    # Still only what the user may see: another organization's ticket does not exist.
    other = await world.ticket("carla", title="Globex only")
    hidden = await world.client.get(f"/api/v1/tickets/{other['number']}", headers=headers)
    assert hidden.status_code == 404


async def test_a_write_scope_creates_tickets(sqlite_world: Portal) -> None:
    world = sqlite_world
    headers = await _token(world, "ben", "tickets:read tickets:write")
    r = await world.client.post("/api/v1/tickets", json={"title": "Via app"}, headers=headers)
    assert r.status_code == 201, r.text


async def test_the_portals_own_sign_ins_keep_every_scope(sqlite_world: Portal) -> None:
    world = sqlite_world
    api = await world.as_("ben")  # POST /api/v1/auth/login
    r = await world.client.post("/api/v1/tickets", json={"title": "Mine"}, headers=api)
    assert r.status_code == 201, r.text
    r = await world.client.patch("/api/v1/me", json={"display_name": "Ben B"}, headers=api)
    assert r.status_code == 200, r.text
    transport = httpx.ASGITransport(app=world.app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as browser:
        await sign_in(browser, "ben")
        csrf = {"X-CSRF-Token": browser.cookies["portal_csrf"]}
        r = await browser.post("/api/v1/tickets", json={"title": "Browser"}, headers=csrf)
        assert r.status_code == 201, r.text
        assert (await browser.get("/api/v1/notifications")).status_code == 200
