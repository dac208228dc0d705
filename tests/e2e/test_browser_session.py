"""Browser sessions at the gateway (HttpOnly cookies, CSRF double submit) and token
checks at the edge and in every service, in the all-in-one process."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from skeleton import ADMIN_PASSWORD
from web_kit import sign_in

from portal_chassis.settings import PortalSettings
from portal_ops.allinone import create_allinone_app

SERVICES = ("identity", "tickets", "files", "faq", "notify")


@pytest.fixture
async def portal(tmp_path: Path) -> AsyncIterator[tuple[object, httpx.AsyncClient]]:
    app = create_allinone_app(
        portal=PortalSettings(
            data_dir=tmp_path,
            bootstrap_admin_password=ADMIN_PASSWORD,
            public_url="http://portal.test",
        )
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal.test") as client:
            yield app, client


async def test_sign_in_sets_httponly_lax_cookies_and_the_api_accepts_them(portal) -> None:
    _app, client = portal
    r = await sign_in(client, "admin")
    assert r.status_code == 303 and r.headers["location"] == "/"
    set_cookies = r.headers.get_list("set-cookie")
    access = next(c for c in set_cookies if c.startswith("portal_access="))
    refresh = next(c for c in set_cookies if c.startswith("portal_refresh="))
    for cookie in (access, refresh):
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie
        assert "Secure" not in cookie  # plain http here; https turns it on
    assert "Max-Age" not in refresh  # no "remember me": gone with the browser session

    me = await client.get("/api/v1/me")
    assert me.status_code == 200 and me.json()["username"] == "admin"
    home = await client.get("/")
    assert "admin" in home.text


async def test_cookie_writes_need_the_csrf_token(portal) -> None:
    _app, client = portal
    await sign_in(client, "admin")
    ticket = {"title": "Printer jams"}
    blocked = await client.post("/api/v1/tickets", json=ticket)
    assert blocked.status_code == 403
    assert blocked.headers["content-type"] == "application/problem+json"
    wrong = await client.post("/api/v1/tickets", json=ticket, headers={"X-CSRF-Token": "guess"})
    assert wrong.status_code == 403
    ok = await client.post(
        "/api/v1/tickets", json=ticket, headers={"X-CSRF-Token": client.cookies["portal_csrf"]}
    )
    assert ok.status_code == 201


async def test_bearer_clients_need_no_csrf_token(portal) -> None:
    _app, client = portal
    token = (
        await client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
    ).json()["access_token"]
    r = await client.post(
        "/api/v1/tickets", json={"title": "Via API"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert r.status_code == 201


async def test_login_form_without_csrf_is_refused(portal) -> None:
    _app, client = portal
    r = await client.post("/login", data={"username": "admin", "password": ADMIN_PASSWORD})
    assert r.status_code == 403 and "portal_access" not in client.cookies


async def test_wrong_password_shows_the_message_in_the_chosen_language(portal) -> None:
    _app, client = portal
    await client.get("/login?lang=de")
    r = await client.post(
        "/login",
        data={
            "username": "admin",
            "password": "wrong",
            "csrf_token": client.cookies["portal_csrf"],
        },
    )
    assert r.status_code == 401
    assert "Benutzername oder Passwort ist falsch." in r.text
    assert 'lang="de"' in r.text


async def test_expired_access_cookie_is_renewed_from_the_refresh_cookie(portal) -> None:
    _app, client = portal
    await sign_in(client, "admin", remember=True)
    old_refresh = client.cookies["portal_refresh"]
    client.cookies.set("portal_access", "expired.or.garbage", domain="portal.test")
    r = await client.get("/api/v1/me")
    assert r.status_code == 200
    renewed = r.headers.get_list("set-cookie")
    assert any(c.startswith("portal_access=") for c in renewed)
    refresh = next(c for c in renewed if c.startswith("portal_refresh="))
    assert "Max-Age=2592000" in refresh  # still "remembered"
    assert client.cookies["portal_refresh"] != old_refresh


async def test_sign_out_ends_the_session(portal) -> None:
    _app, client = portal
    await sign_in(client, "admin")
    refresh = client.cookies["portal_refresh"]
    r = await client.post("/logout", data={"csrf_token": client.cookies["portal_csrf"]})
    assert r.status_code == 303
    assert (await client.get("/api/v1/me")).status_code == 401
    again = await client.post("/api/v1/auth/refresh", json={"refresh_token": refresh})
    assert again.status_code == 401


async def test_open_redirects_are_not_followed(portal) -> None:
    _app, client = portal
    await client.get("/login")
    r = await client.post(
        "/login",
        data={
            "username": "admin",
            "password": ADMIN_PASSWORD,
            "csrf_token": client.cookies["portal_csrf"],
            "next": "//evil.example/phish",
        },
    )
    assert r.status_code == 303 and r.headers["location"] == "/"


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _bad_tokens(app) -> dict[str, str]:
    keys = app.state.gateway["platform"].embedded["identity"].state.portal.state["keys"]
    now = int(time.time())
    base = {
        "iss": "http://portal.test",
        "aud": "portal",
        "sub": str(uuid.uuid4()),
        "roles": ["admin"],
        "iat": now,
        "exp": now + 60,
    }
    good = keys.sign(base)
    return {
        "expired": keys.sign({**base, "exp": now - 5}),
        "wrong-audience": keys.sign({**base, "aud": "elsewhere"}),
        "wrong-issuer": keys.sign({**base, "iss": "http://evil.test"}),
        "alg-none": f"{_b64({'alg': 'none'})}.{_b64(base)}.",
        "tampered": good.rsplit(".", 1)[0][:-4] + "AAAA." + good.rsplit(".", 1)[1],
    }


@pytest.mark.parametrize(
    "kind", ["expired", "wrong-audience", "wrong-issuer", "alg-none", "tampered"]
)
async def test_bad_tokens_are_refused_at_the_gateway_and_by_every_service(portal, kind) -> None:
    app, client = portal
    token = _bad_tokens(app)[kind]
    headers = {"Authorization": f"Bearer {token}"}
    at_gateway = await client.get("/api/v1/tickets/T000001", headers=headers)
    assert at_gateway.status_code == 401
    assert at_gateway.headers["content-type"] == "application/problem+json"
    platform = app.state.gateway["platform"]
    paths = {
        "identity": "/api/v1/me",
        "tickets": "/api/v1/tickets/T000001",
        "notify": "/api/v1/notifications",
    }
    for service, path in paths.items():
        transport = platform.transports[service]
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service}") as direct:
            r = await direct.get(path, headers=headers)
        assert r.status_code == 401, (service, r.text)
