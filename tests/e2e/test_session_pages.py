"""The sign-ins in the browser: the sign-in page keeps a device cookie and passes the
browser's user agent, address and device to identity (on the password step and the
code step), `/account/sessions` lists the viewer's sign-ins with this device marked,
ends one (that browser is signed out within seconds) or all others, in English and
German, and refuses a form without its CSRF token."""

from __future__ import annotations

import html
import re
import time

import httpx
import pyotp
from portal_harness import PASSWORD, Portal
from web_kit import browser, csrf, sign_in

from portal_chassis.testing.revocation import until_refused

PAGE = "/account/sessions"
NEW_DEVICE = "identity.session.started_on_new_device"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _rows(page: str) -> dict[str, str]:
    """The table's rows by the sign-in's id."""
    return dict(re.findall(r'<tr id="session-([0-9a-f-]{36})"[^>]*>(.*?)</tr>', page, re.S))


def _row_of(page: str, device: str) -> tuple[str, str]:
    [found] = [(sid, row) for sid, row in _rows(page).items() if device in html.unescape(row)]
    return found


async def _signed_out(world: Portal, client: httpx.AsyncClient) -> None:
    """The browser is sent to sign in again once every list (the gateway's, each
    service's) comes from a poll sent after its sign-in ended (see
    portal_chassis.testing.revocation)."""
    since = time.monotonic()

    async def refused() -> bool:
        return (await client.get("/profile")).status_code == 303

    lists = world.revocation_lists.values()
    await until_refused(refused, lists, since=since, state=lambda: "still signed in")


async def test_the_page_lists_the_sign_ins_and_ends_one(world: Portal) -> None:
    async with (
        browser(world, lang="en") as laptop,
        browser(world, lang="en") as phone,
    ):
        laptop.headers["User-Agent"] = FIREFOX
        phone.headers["User-Agent"] = IPHONE
        signed_in = await sign_in(laptop, "ben")
        device_cookie = next(
            c for c in signed_in.headers.get_list("set-cookie") if c.startswith("portal_device=")
        )
        assert "HttpOnly" in device_cookie and "samesite=lax" in device_cookie.lower()
        assert "Max-Age=31536000" in device_cookie and "Path=/" in device_cookie
        await sign_in(phone, "ben", remember=True)

        profile = await laptop.get("/profile")
        assert 'href="/account/sessions" id="sessions-link"' in profile.text
        page = await laptop.get(PAGE)
        assert page.status_code == 200
        assert "<h1>Your sign-ins</h1>" in page.text
        assert '<th scope="col">Last used</th>' in page.text
        here_id, here = _row_of(page.text, "Firefox (Linux)")
        phone_id, there = _row_of(page.text, "Mobile Safari (iOS, iPhone)")
        assert "This device" in here and "This device" not in there
        assert 'action="/logout"' in here and "Sign out here" in here
        assert f'action="/account/sessions/{phone_id}/end"' in there
        assert 'aria-label="End the sign-in of Mobile Safari (iOS, iPhone) from' in there
        assert "<td>Yes</td>" in there and "<td>No</td>" in here  # remember me
        assert 'id="end-others"' in page.text and "Sign out all other sessions" in page.text
        assert here_id != phone_id

        # Without the form's CSRF token nothing ends.
        forged = await laptop.post(f"{PAGE}/{phone_id}/end", data={})
        assert forged.status_code == 403
        assert (await phone.get("/profile")).status_code == 200

        ended = await laptop.post(f"{PAGE}/{phone_id}/end", data={"csrf_token": csrf(laptop)})
        assert ended.status_code == 303 and ended.headers["location"] == f"{PAGE}?done=ended"
        after = await laptop.get(ended.headers["location"])
        assert 'role="status"' in after.text and "The sign-in is ended." in after.text
        assert list(_rows(after.text)) == [here_id]
        assert "You are signed in on this device only." in after.text
        await _signed_out(world, phone)
        # Ended already (another tab's old page): said so, nothing breaks.
        again = await laptop.post(f"{PAGE}/{phone_id}/end", data={"csrf_token": csrf(laptop)})
        assert again.headers["location"] == f"{PAGE}?done=gone"
        gone = await laptop.get(again.headers["location"])
        assert gone.status_code == 200 and "This sign-in has ended already." in gone.text


async def test_signing_out_all_others_in_german(world: Portal) -> None:
    async with (
        browser(world, lang="de") as laptop,
        browser(world, lang="de") as phone,
        browser(world, lang="de") as tablet,
    ):
        for client, agent in ((laptop, FIREFOX), (phone, IPHONE), (tablet, IPHONE)):
            client.headers["User-Agent"] = agent
            await sign_in(client, "anna")
        # Signing in took anna's profile language (English): the header's switch.
        page = await laptop.get(f"{PAGE}?lang=de")
        assert "<h1>Ihre Anmeldungen</h1>" in page.text
        assert "Dieses Gerät" in page.text and "Zuletzt genutzt" in page.text
        assert len(_rows(page.text)) == 3
        assert "Sitzung beenden" in page.text and "Alle anderen Sitzungen abmelden" in page.text

        done = await laptop.post(f"{PAGE}/end-others", data={"csrf_token": csrf(laptop)})
        assert done.status_code == 303 and done.headers["location"] == f"{PAGE}?done=others"
        after = await laptop.get(done.headers["location"] + "&lang=de")
        assert "Alle anderen Anmeldungen sind beendet." in after.text
        assert "Sie sind nur auf diesem Gerät angemeldet." in after.text
        assert len(_rows(after.text)) == 1
        await _signed_out(world, phone)
        await _signed_out(world, tablet)
        assert (await laptop.get("/profile")).status_code == 200


async def test_the_device_cookie_tells_a_new_browser_from_a_known_one(world: Portal) -> None:
    """Both steps of a two-factor sign-in pass the browser on: signing in again in the
    same browser is no news; another browser with the same user agent is."""
    async with browser(world, lang="en") as client:
        client.headers["User-Agent"] = FIREFOX
        await sign_in(client, "dan")
        before = len(await world.events(NEW_DEVICE, service="identity"))
        page = await client.post(
            "/account/security/totp", data={"password": PASSWORD, "csrf_token": csrf(client)}
        )
        secret = re.search(r'name="secret" value="([^"]*)"', page.text)
        assert secret, page.text
        totp = pyotp.TOTP(html.unescape(secret.group(1)))
        form = {
            name: html.unescape(found.group(1))
            for name in ("secret", "otpauth_uri", "qr")
            if (found := re.search(rf'name="{name}" value="([^"]*)"', page.text))
        }
        on = await client.post(
            "/account/security/totp/confirm",
            data={**form, "code": totp.now(), "csrf_token": csrf(client)},
        )
        assert on.status_code == 200, on.text
        recovery = re.findall(r"<li><code>([^<]+)</code></li>", on.text)
        assert recovery, on.text
        out = await client.post("/logout", data={"csrf_token": csrf(client)})
        assert out.status_code == 303 and "portal_device" in client.cookies  # kept

        await client.get("/login")
        step = await client.post(
            "/login",
            data={"username": "dan", "password": PASSWORD, "csrf_token": csrf(client)},
        )
        assert step.headers["location"] == "/login/code"
        code = totp.at(time.time() + 30)  # the setup used the current step's code
        signed_in = await client.post(
            "/login/code", data={"code": code, "csrf_token": csrf(client)}
        )
        assert signed_in.status_code == 303, signed_in.text
        page = await client.get(PAGE)
        _, row = _row_of(page.text, "Firefox (Linux)")
        assert "This device" in row and "with a second factor" in row
    # The same browser again: no news.
    assert len(await world.events(NEW_DEVICE, service="identity")) == before

    async with browser(world, lang="en") as other:
        other.headers["User-Agent"] = FIREFOX
        await other.get("/login")
        step = await other.post(
            "/login", data={"username": "dan", "password": PASSWORD, "csrf_token": csrf(other)}
        )
        assert step.headers["location"] == "/login/code"
        done = await other.post(
            "/login/code",
            data={
                "method": "recovery",
                "code": html.unescape(recovery[0]),
                "csrf_token": csrf(other),
            },
        )
        assert done.status_code == 303, done.text
    events = await world.events(NEW_DEVICE, service="identity")
    assert len(events) == before + 1
    assert events[-1]["data"]["username"] == "dan"
    assert events[-1]["data"]["device"] == "Firefox (Linux)"


async def test_a_caller_cannot_choose_the_address_it_signs_in_from(world: Portal) -> None:
    """Only a trusted proxy's X-Forwarded-For counts: a caller from anywhere else who
    sends one is known by the address the edge saw, on the sign-in page and the API, so
    it can neither dodge the per-address throttle nor put a false address in the list."""
    transport = httpx.ASGITransport(
        app=world.app, raise_app_exceptions=False, client=("203.0.113.7", 40000)
    )
    spoofed = {"X-Forwarded-For": "198.51.100.1", "Forwarded": "for=198.51.100.2"}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://portal", headers=spoofed
    ) as client:
        await sign_in(client, "anna")
        r = await client.post("/api/v1/auth/login", json={"username": "anna", "password": PASSWORD})
        assert r.status_code == 200, r.text
        sessions = await client.get(
            "/api/v1/me/sessions", headers={"Authorization": f"Bearer {r.json()['access_token']}"}
        )
        assert sessions.status_code == 200, sessions.text
        addresses = {s["address"] for s in sessions.json()["items"]}
        assert addresses == {"203.0.113.7"}
