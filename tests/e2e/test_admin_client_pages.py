"""Applications (OAuth clients) in the administration: the vendor's admin registers one,
sees its secret once, lists and revokes it; nobody else finds these pages."""

from __future__ import annotations

import re

from portal_harness import Portal
from web_kit import browser


def _code(html: str, element_id: str) -> str:
    found = re.search(rf'<code id="{element_id}">([^<]+)</code>', html)
    assert found, html
    return found.group(1)


async def test_admin_registers_sees_the_secret_once_and_revokes(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        overview = await admin.get("/admin?lang=en")
        assert 'href="/admin/clients"' in overview.text
        empty = await admin.get("/admin/clients")
        assert empty.status_code == 200 and "No application is registered yet." in empty.text
        form = await admin.get("/admin/clients/new")
        assert form.status_code == 200
        assert 'value="tickets:write"' in form.text and 'value="admin"' in form.text

        created = await admin.post(
            "/admin/clients/new",
            data={
                "csrf_token": admin.cookies["portal_csrf"],
                "name": "Nightly <export>",
                "redirect_uris": "",
                "grant_types": ["client_credentials"],
                "token_endpoint_auth_method": "client_secret_basic",
                "scopes": ["tickets:read"],
                "agent_role": "1",
            },
        )
        assert created.status_code == 200, created.text
        assert created.headers["cache-control"] == "no-store"
        assert "Nightly &lt;export&gt;" in created.text
        client_id, secret = _code(created.text, "client-id"), _code(created.text, "client-secret")

        listed = await admin.get("/admin/clients")
        assert client_id in listed.text and secret not in listed.text
        assert "tickets:read" in listed.text

        # The secret works (HTTP Basic through the gateway), with what was chosen.
        token = await world.client.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
        )
        assert token.status_code == 200, token.text
        assert token.json()["scope"] == "tickets:read"

        revoked = await admin.post(
            f"/admin/clients/{client_id}/revoke",
            data={"csrf_token": admin.cookies["portal_csrf"], "name": "Nightly export"},
        )
        assert revoked.status_code == 303
        after = await admin.get(revoked.headers["location"])
        assert "The application Nightly export is revoked" in after.text
        assert client_id not in after.text
    again = await world.client.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert again.status_code == 401 and again.json()["error"] == "invalid_client"


async def test_a_third_party_app_with_sign_in_and_its_mistakes(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin") as admin:
        fields = {
            "csrf_token": admin.cookies["portal_csrf"],
            "name": "Partner wiki",
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "client_secret_post",
            "scopes": ["openid", "profile", "faq:read"],
        }
        missing = await admin.post("/admin/clients/new", data={**fields, "redirect_uris": ""})
        assert missing.status_code == 422 and 'id="form-alert"' in missing.text
        assert 'value="Partner wiki"' in missing.text  # the form comes back filled in
        created = await admin.post(
            "/admin/clients/new",
            data={**fields, "redirect_uris": "https://wiki.example/cb\nhttp://localhost:8080/cb"},
        )
        assert created.status_code == 200, created.text
    api = await world.client.get("/api/v1/admin/oauth-clients", headers=await world.admin())
    [client] = api.json()["items"]
    assert client["name"] == "Partner wiki" and client["first_party"] is False
    assert client["scope"] == "openid profile faq:read"
    assert client["redirect_uris"] == ["https://wiki.example/cb", "http://localhost:8080/cb"]
    assert client["token_endpoint_auth_method"] == "client_secret_post"


async def test_the_pages_speak_german(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, "admin") as admin:
        page = await admin.get("/admin/clients/new?lang=de")
        assert "Anwendung registrieren" in page.text and "Eigene Anwendung" in page.text


async def test_nobody_but_the_vendors_admin_finds_the_pages(sqlite_world: Portal) -> None:
    for username in ("anna", "erik"):  # a customer's admin, an agent
        async with browser(sqlite_world, username) as someone:
            assert (await someone.get("/admin/clients")).status_code == 404
            assert (await someone.get("/admin/clients/new")).status_code == 404
            r = await someone.post(
                "/admin/clients/new",
                data={"csrf_token": someone.cookies["portal_csrf"], "name": "Mine"},
            )
            assert r.status_code == 404
