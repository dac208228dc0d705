"""Passkeys through the portal's pages, as the page's script (static/passkeys.js) calls
them, answered by a software authenticator: adding one on `/account/security` through
the API with the session's cookie and CSRF token, "Sign in with a passkey" on the sign-in
page (the session's cookies set as after a password), the passkey as the second step
after the password, the messages of refusals in English and German, and removing a
passkey with the current password."""

from __future__ import annotations

import re
from typing import Any

import httpx
from passkey_harness import SoftAuthenticator
from portal_harness import PASSWORD, Portal
from web_kit import browser, csrf

# The test portal's public URL is http://127.0.0.1:8000: browsers refuse an IP address as
# the relying party, so passkeys are made and used at http://localhost:8000.
ORIGIN = "http://localhost:8000"


def _json_headers(client: httpx.AsyncClient) -> dict[str, str]:
    return {"X-CSRF-Token": csrf(client)}


async def _add_passkey(
    client: httpx.AsyncClient, device: SoftAuthenticator, name: str = "Laptop"
) -> dict[str, Any]:
    headers = _json_headers(client)
    forged = await client.post("/api/v1/me/passkeys/options", json={"password": PASSWORD})
    assert forged.status_code == 403
    offer = await client.post(
        "/api/v1/me/passkeys/options", json={"password": PASSWORD}, headers=headers
    )
    assert offer.status_code == 200, offer.text
    assert offer.json()["options"]["rp"]["id"] == "localhost"
    body = {
        "challenge_id": offer.json()["challenge_id"],
        "name": name,
        "credential": device.create(offer.json()["options"]),
    }
    added = await client.post("/api/v1/me/passkeys", json=body, headers=headers)
    assert added.status_code == 201, added.text
    result: dict[str, Any] = added.json()
    return result


async def _sign_out(client: httpx.AsyncClient) -> None:
    out = await client.post("/logout", data={"csrf_token": csrf(client)})
    assert out.status_code == 303 and "portal_access" not in client.cookies


async def _passkey_sign_in(
    client: httpx.AsyncClient, device: SoftAuthenticator, **extra: Any
) -> httpx.Response:
    offer = await client.post("/login/passkey/options", headers=_json_headers(client))
    assert offer.status_code == 200, offer.text
    assert offer.headers["cache-control"] == "no-store"
    body = {
        "challenge_id": offer.json()["challenge_id"],
        "credential": device.get(offer.json()["options"]),
        **extra,
    }
    return await client.post("/login/passkey", json=body, headers=_json_headers(client))


async def test_a_passkey_is_added_and_signs_in_without_password(sqlite_world: Portal) -> None:
    device = SoftAuthenticator(origin=ORIGIN)
    async with browser(sqlite_world, "ben", lang="en") as client:
        page = await client.get("/account/security")
        assert page.status_code == 200
        assert 'id="passkeys-none"' in page.text and "data-passkey-add" in page.text
        assert '<script src="/static/passkeys.js" defer></script>' in page.text
        # Without the page's script the form can only say what is needed.
        fallback = await client.post(
            "/account/security/passkeys",
            data={"name": "Laptop", "password": PASSWORD, "csrf_token": csrf(client)},
        )
        assert fallback.status_code == 422
        assert "Passkeys need JavaScript" in fallback.text

        await _add_passkey(client, device)
        page = await client.get("/account/security?done=passkey_added")
        assert "The passkey is added. You can sign in with it now." in page.text
        assert re.search(r'<th scope="row">Laptop</th>', page.text)
        assert 'aria-label="Remove the passkey Laptop"' in page.text
        await _sign_out(client)

        login = await client.get("/login?next=/tickets")
        assert (
            'id="passkey"' in login.text and 'data-options="/login/passkey/options"' in login.text
        )
        assert 'data-next="/tickets"' in login.text
        refused = await client.post("/login/passkey/options")
        assert refused.status_code == 403
        assert refused.json() == {"message": "Your form expired. Please try again."}

        signed_in = await _passkey_sign_in(client, device, remember_me=True, next="/tickets")
        assert signed_in.status_code == 200, signed_in.text
        assert signed_in.json() == {"redirect": "/tickets"}
        assert "portal_access" in client.cookies and client.cookies.get("portal_remember") == "1"
        assert "portal_device" in client.cookies
        home = await client.get("/")
        assert ">ben</a>" in home.text
        me = await client.get("/api/v1/me/passkeys")
        assert me.json()["items"][0]["last_used_at"] is not None


async def test_refusals_are_said_in_the_readers_language(sqlite_world: Portal) -> None:
    device = SoftAuthenticator(origin=ORIGIN)
    async with browser(sqlite_world, "carla", lang="de") as client:
        await _add_passkey(client, device)
        await _sign_out(client)
        # Carla's profile reads English; she switches the page to German.
        await client.get("/login?lang=de")
        offer = (await client.post("/login/passkey/options", headers=_json_headers(client))).json()
        body = {"challenge_id": offer["challenge_id"], "credential": device.get(offer["options"])}
        other_site = dict(body, credential=device.get(offer["options"], origin="https://evil.test"))
        r = await client.post("/login/passkey", json=other_site, headers=_json_headers(client))
        assert r.status_code == 401
        assert r.json()["message"].startswith("Dieser Passkey wurde nicht angenommen.")
        # The challenge was used up by that answer.
        r = await client.post("/login/passkey", json=body, headers=_json_headers(client))
        assert r.status_code == 400
        assert r.json() == {"message": "Das hat zu lange gedauert. Bitte versuchen Sie es erneut."}
        assert "portal_access" not in client.cookies
        r = await client.post("/login/passkey", content=b"[]", headers=_json_headers(client))
        assert r.status_code == 400


async def test_a_passkey_is_the_second_step_after_the_password(sqlite_world: Portal) -> None:
    device = SoftAuthenticator(origin=ORIGIN)
    async with browser(sqlite_world, "dan", lang="en") as client:
        await _add_passkey(client, device)
        await _sign_out(client)
        await client.get("/login")
        form = {"username": "dan", "password": PASSWORD, "csrf_token": csrf(client)}
        step = await client.post("/login", data={**form, "next": "/tickets"})
        assert step.status_code == 303 and step.headers["location"] == "/login/code"
        page = await client.get("/login/code")
        # Dan has no app: the passkey is the step, no code field.
        assert 'id="code-form"' not in page.text and 'id="passkey-hint"' in page.text
        assert "Confirm with your passkey" in page.text
        assert 'data-options="/login/code/passkey-options"' in page.text

        offer = await client.post("/login/code/passkey-options", headers=_json_headers(client))
        assert offer.status_code == 200, offer.text
        assert len(offer.json()["options"]["allowCredentials"]) == 1
        answer = {
            "challenge_id": offer.json()["challenge_id"],
            "credential": device.get(offer.json()["options"]),
        }
        done = await client.post("/login/code/passkey", json=answer, headers=_json_headers(client))
        assert done.status_code == 200, done.text
        assert done.json() == {"redirect": "/tickets"}
        assert "portal_access" in client.cookies and "portal_signin" not in client.cookies
        # The step is over: its calls send the browser back to the password.
        gone = await client.post("/login/code/passkey-options", headers=_json_headers(client))
        assert gone.status_code == 401
        assert gone.json()["redirect"] == "/login?notice=code_expired"


async def test_removing_a_passkey_asks_for_the_password(sqlite_world: Portal) -> None:
    device = SoftAuthenticator(origin=ORIGIN)
    async with browser(sqlite_world, "ben", lang="en") as client:
        added = await _add_passkey(client, device, name="Phone")
        path = f"/account/security/passkeys/{added['id']}/remove"
        page = await client.get(path)
        assert page.status_code == 200 and "Remove the passkey \u201cPhone\u201d?" in page.text
        assert (await client.get("/account/security/passkeys/nope/remove")).status_code == 404

        wrong = await client.post(path, data={"password": "not-mine", "csrf_token": csrf(client)})
        assert wrong.status_code == 422 and 'id="remove_password-error"' in wrong.text
        assert "The password is not right." in wrong.text
        forged = await client.post(path, data={"password": PASSWORD})
        assert forged.status_code == 403
        done = await client.post(path, data={"password": PASSWORD, "csrf_token": csrf(client)})
        assert done.status_code == 303
        assert done.headers["location"] == "/account/security?done=passkey_removed"
        page = await client.get(done.headers["location"])
        assert "The passkey is removed." in page.text and 'id="passkeys-none"' in page.text
        assert (await client.get(path)).status_code == 404
