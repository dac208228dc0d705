"""Two-factor sign-in in the browser: setting up an authenticator app on
`/account/security` (password, QR code and key, a code from the app, the recovery codes
shown once), the sign-in's second step (the app's code or a recovery code; wrong,
expired and throttled codes), the banner that leads people whose role requires a second
factor to it, and the administrators' policy and reset pages."""

from __future__ import annotations

import base64
import dataclasses
import html
import re
import time

import httpx
import pyotp
from portal_harness import PASSWORD, Portal
from web_kit import browser, csrf, sign_in

from portal_gateway.edge.second_factor import PENDING_COOKIE, key_of

BANNER_EN = "Your role requires two-factor sign-in:"
BANNER_DE = "Ihre Rolle verlangt die Zwei-Faktor-Anmeldung:"


def _hidden(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, f"no field {name}"
    return html.unescape(found.group(1))


def _codes(page: str) -> list[str]:
    return [html.unescape(c) for c in re.findall(r"<li><code>([^<]+)</code></li>", page)]


def _other_code(totp: pyotp.TOTP) -> str:
    """A code of the right form that the app does not show now (nor just before or after)."""
    now = time.time()
    taken = {totp.at(now + shift) for shift in (-60, -30, 0, 30, 60)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in taken)


def _next_code(totp: pyotp.TOTP) -> str:
    """The app's code of the next time step: still accepted (one step either side), and
    newer than the one that confirmed the setup."""
    return totp.at(time.time() + 30)


async def _enrol(client: httpx.AsyncClient) -> tuple[pyotp.TOTP, list[str]]:
    """Sets up the app through the pages; the app (pyotp) and the recovery codes."""
    page = await client.post(
        "/account/security/totp", data={"password": PASSWORD, "csrf_token": csrf(client)}
    )
    assert page.status_code == 200, page.text
    totp = pyotp.TOTP(_hidden(page.text, "secret"))
    form = {name: _hidden(page.text, name) for name in ("secret", "otpauth_uri", "qr")}
    done = await client.post(
        "/account/security/totp/confirm",
        data={**form, "code": totp.now(), "csrf_token": csrf(client)},
    )
    assert done.status_code == 200, done.text
    return totp, _codes(done.text)


async def _password_step(
    client: httpx.AsyncClient, username: str, *, target: str = "/", remember: bool = False
) -> httpx.Response:
    await client.get("/login")
    form = {"username": username, "password": PASSWORD, "csrf_token": csrf(client)}
    form["next"] = target
    if remember:
        form["remember_me"] = "1"
    return await client.post("/login", data=form)


async def _sign_out(client: httpx.AsyncClient) -> None:
    out = await client.post("/logout", data={"csrf_token": csrf(client)})
    assert out.status_code == 303
    assert "portal_access" not in client.cookies


async def test_a_user_sets_up_the_app_and_signs_in_with_its_code(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, "ben", lang="en") as client:
        page = await client.get("/account/security")
        assert page.status_code == 200 and 'id="security-state">Off<' in page.text
        assert 'id="setup-form"' in page.text and 'id="disable-form"' not in page.text
        profile = await client.get("/profile")
        assert 'href="/account/security"' in profile.text

        # The current password first: missing or wrong, said at its field.
        token = csrf(client)
        empty = await client.post("/account/security/totp", data={"csrf_token": token})
        assert empty.status_code == 422 and "Enter your current password." in empty.text
        wrong = await client.post(
            "/account/security/totp", data={"password": "not-my-password", "csrf_token": token}
        )
        assert wrong.status_code == 422 and 'id="setup_password-error"' in wrong.text
        assert "The password is not right." in wrong.text and 'aria-invalid="true"' in wrong.text
        forged = await client.post("/account/security/totp", data={"password": PASSWORD})
        assert forged.status_code == 403

        qr_page = await client.post(
            "/account/security/totp", data={"password": PASSWORD, "csrf_token": token}
        )
        assert qr_page.status_code == 200
        assert qr_page.headers["cache-control"] == "no-store"
        # The QR code is an image (the strict CSP allows data: images, never inline SVG).
        image = re.search(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', qr_page.text)
        assert image and base64.b64decode(image.group(1)).lstrip().startswith((b"<?xml", b"<svg"))
        assert "<svg" not in qr_page.text.split("<main", 1)[1]
        assert "img-src 'self' data:" in qr_page.headers["content-security-policy"]
        secret = _hidden(qr_page.text, "secret")
        shown = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 =]+)<', qr_page.text)
        assert shown and shown.group(1).replace(" ", "") == secret
        assert 'autocomplete="one-time-code"' in qr_page.text
        totp = pyotp.TOTP(secret)
        form = {name: _hidden(qr_page.text, name) for name in ("secret", "otpauth_uri", "qr")}

        # A wrong code: the same page again, the QR code still there, the message at the field.
        again = await client.post(
            "/account/security/totp/confirm",
            data={**form, "code": _other_code(totp), "csrf_token": token},
        )
        assert again.status_code == 422 and 'id="code-error"' in again.text
        assert "This code is not right." in again.text and 'id="totp-qr"' in again.text
        assert (await client.get("/api/v1/me/mfa")).json()["totp"] is False
        # A forged form (no CSRF token) never gets its key and QR code shown.
        forged = await client.post(
            "/account/security/totp/confirm", data={**form, "code": totp.now()}
        )
        assert forged.status_code == 403 and 'id="totp-qr"' not in forged.text
        assert secret not in forged.text

        done = await client.post(
            "/account/security/totp/confirm",
            data={**form, "code": totp.now(), "csrf_token": token},
        )
        assert done.status_code == 200 and done.headers["cache-control"] == "no-store"
        codes = _codes(done.text)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert "shown only this once" in done.text
        download = re.search(r'href="data:text/plain;charset=utf-8;base64,([^"]+)"', done.text)
        assert download and all(c in base64.b64decode(download.group(1)).decode() for c in codes)

        state = await client.get("/account/security")
        assert 'id="security-state">On<' in state.text and 'id="codes-left">10<' in state.text
        assert 'id="setup-form"' not in state.text and 'id="disable-form"' in state.text
        await _sign_out(client)

        # The password alone no longer signs in: the code step follows, the token stays on
        # the server (the browser holds a handle for /login only).
        step = await _password_step(client, "ben", target="/tickets", remember=True)
        assert step.status_code == 303 and step.headers["location"] == "/login/code"
        cookie = next(c for c in step.headers.get_list("set-cookie") if PENDING_COOKIE in c)
        assert "HttpOnly" in cookie and "Path=/login" in cookie
        assert "portal_access" not in client.cookies
        code_page = await client.get("/login/code")
        assert code_page.status_code == 200 and "Signing in as ben" in code_page.text
        assert 'inputmode="numeric"' in code_page.text
        assert 'autocomplete="one-time-code"' in code_page.text
        hidden = re.findall(r'type="hidden" name="(\w+)"', code_page.text)
        assert sorted(hidden) == ["csrf_token", "method"]
        assert 'href="/login/code?method=recovery"' in code_page.text

        refused = await client.post(
            "/login/code", data={"code": _other_code(totp), "csrf_token": csrf(client)}
        )
        assert refused.status_code == 401 and 'id="code-error"' in refused.text
        assert "This code is not right." in refused.text and 'id="code-form"' in refused.text
        malformed = await client.post(
            "/login/code", data={"code": "12ab", "csrf_token": csrf(client)}
        )
        assert malformed.status_code == 422 and "Enter the 6 digits" in malformed.text
        # A code with a space, as people copy it from the app (the next one: identity
        # takes each time step's code once, and the setup used the current one).
        code = _next_code(totp)
        signed_in = await client.post(
            "/login/code", data={"code": f"{code[:3]} {code[3:]}", "csrf_token": csrf(client)}
        )
        assert signed_in.status_code == 303 and signed_in.headers["location"] == "/tickets"
        cookies = ";".join(signed_in.headers.get_list("set-cookie"))
        assert "portal_access=" in cookies and f'{PENDING_COOKIE}=""' in cookies
        refresh = next(
            c for c in signed_in.headers.get_list("set-cookie") if c.startswith("portal_refresh=")
        )
        assert "Max-Age=2592000" in refresh  # "remember me" came along from the password step
        me = await client.get("/api/v1/me")
        assert me.status_code == 200 and me.json()["username"] == "ben"
        # The step is over: its page sends back to the password.
        over = await client.get("/login/code")
        assert over.status_code == 303 and over.headers["location"] == "/login"


async def test_a_recovery_code_signs_in_once(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, "carla", lang="en") as client:
        _totp, codes = await _enrol(client)
        await _sign_out(client)
        await _password_step(client, "carla")
        page = await client.get("/login/code?method=recovery")
        assert "Recovery code" in page.text and 'inputmode="numeric"' not in page.text
        assert 'name="method" value="recovery"' in page.text
        assert 'href="/login/code"' in page.text  # back to the app's code
        ok = await client.post(
            "/login/code",
            data={"code": codes[0], "method": "recovery", "csrf_token": csrf(client)},
        )
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        state = await client.get("/account/security")
        assert 'id="codes-left">9<' in state.text
        await _sign_out(client)

        await _password_step(client, "carla")
        used = await client.post(
            "/login/code",
            data={"code": codes[0], "method": "recovery", "csrf_token": csrf(client)},
        )
        assert used.status_code == 401
        assert "This recovery code is not right or was used already." in used.text
        assert 'name="method" value="recovery"' in used.text


async def test_an_expired_step_goes_back_to_the_password(sqlite_world: Portal) -> None:
    world = sqlite_world
    sessions = world.app.state.web.sessions
    async with browser(world, "dan", lang="de") as client:
        await _enrol(client)
        await _sign_out(client)

        # Identity no longer knows the token (expired, or used up by wrong codes).
        await _password_step(client, "dan", target="/faq")
        key = key_of(client.cookies[PENDING_COOKIE])
        step = await sessions.pending.get(key)
        assert step is not None and step.username == "dan" and step.target == "/faq"
        await sessions.pending.put(key, dataclasses.replace(step, mfa_token="x" * 43), 300)
        gone = await client.post(
            "/login/code?lang=de", data={"code": "123456", "csrf_token": csrf(client)}
        )
        assert gone.status_code == 303
        assert gone.headers["location"] == "/login?notice=code_expired&next=%2Ffaq"
        assert await sessions.pending.get(key) is None
        page = await client.get(gone.headers["location"] + "&lang=de")
        assert "Die Zeit für die Eingabe des Codes ist abgelaufen." in page.text
        assert 'id="login-form"' in page.text and 'name="next" value="/faq"' in page.text

        # The gateway's own record ran out (five minutes): the same.
        await _password_step(client, "dan")
        await sessions.pending.drop(key_of(client.cookies[PENDING_COOKIE]))
        late = await client.get("/login/code")
        assert late.status_code == 303 and late.headers["location"] == "/login?notice=code_expired"
        # Without any step begun there is nothing to enter a code for.
        async with browser(world) as stranger:
            nothing = await stranger.get("/login/code")
            assert nothing.status_code == 303 and nothing.headers["location"] == "/login"


async def test_wrong_codes_are_throttled_with_the_wait_said(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, "erik", lang="en") as client:
        totp, _ = await _enrol(client)
        await _sign_out(client)
        wrong = _other_code(totp)
        answers = []
        for attempt in range(12):
            if attempt % 3 == 0:
                # Starting again with the password does not start the count again.
                step = await _password_step(client, "erik")
                assert step.status_code == 303, step.text
            r = await client.post("/login/code", data={"code": wrong, "csrf_token": csrf(client)})
            answers.append(r.status_code)
            if r.status_code != 401:
                break
        assert answers[-1] == 429, answers
        wait = int(r.headers["retry-after"])
        minutes = -(-wait // 60)
        assert f"Too many attempts. Wait {minutes} minutes, then try again." in r.text
        assert 'id="code-form"' in r.text and 'role="alert"' in r.text


async def test_a_required_role_is_led_to_set_up_the_app(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "admin", lang="en") as admin:
        page = await admin.get("/admin/security")
        assert page.status_code == 200 and 'id="mfa-policy-form"' in page.text
        assert "No role requires a second factor now." in page.text
        assert 'href="/admin/security"' in (await admin.get("/admin")).text
        form = {"required_roles": ["customer", "nonsense"], "csrf_token": csrf(admin)}
        saved = await admin.post("/admin/security", data=form)
        assert saved.status_code == 303
        shown = await admin.get(saved.headers["location"])
        assert "The two-factor policy was saved." in shown.text
        assert 'id="require-customer" name="required_roles" value="customer" checked' in shown.text
        assert 'value="agent" checked' not in shown.text
        assert (await admin.get("/api/v1/admin/mfa-policy")).json()["required_roles"] == [
            "customer"
        ]
        # The admin's own pages carry no banner: their role is not required.
        assert 'id="mfa-due"' not in shown.text

    async with browser(world, "anna", lang="en") as anna:
        # A customer admin has no customer role here: no banner, and no policy page.
        assert 'id="mfa-due"' not in (await anna.get("/")).text
        assert (await anna.get("/admin/security")).status_code == 404

    async with browser(world, "ben", lang="en") as ben:
        home = await ben.get("/")
        assert BANNER_EN in home.text and 'id="mfa-due"' in home.text
        assert 'role="status"' in home.text and 'href="/account/security"' in home.text
        german = await ben.get("/tickets?lang=de")
        assert BANNER_DE in german.text and "jetzt einrichten" in german.text
        # The API answers as usual; only the pages lead to the setup.
        assert (await ben.get("/api/v1/me")).status_code == 200
        security = await ben.get("/account/security?lang=en")
        assert "Your role requires two-factor sign-in." in security.text
        assert 'id="mfa-due"' not in security.text
        await _enrol(ben)
        # The session's claims follow at once, not only after the next sign-in.
        assert 'id="mfa-due"' not in (await ben.get("/")).text

        # Switched off again: the banner is back (wrong password first).
        token = csrf(ben)
        wrong = await ben.post(
            "/account/security/totp/disable", data={"password": "nope", "csrf_token": token}
        )
        assert wrong.status_code == 422 and 'id="disable_password-error"' in wrong.text
        off = await ben.post(
            "/account/security/totp/disable", data={"password": PASSWORD, "csrf_token": token}
        )
        assert (
            off.status_code == 303 and off.headers["location"] == "/account/security?done=disabled"
        )
        after = await ben.get(off.headers["location"])
        assert (
            "Two-factor sign-in is off." in after.text and 'id="security-state">Off<' in after.text
        )
        assert 'id="mfa-due"' not in after.text  # not on the page it leads to
        assert BANNER_EN in (await ben.get("/")).text


async def test_new_recovery_codes_replace_the_old(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, "ben", lang="en") as client:
        _totp, old = await _enrol(client)
        token = csrf(client)
        wrong = await client.post(
            "/account/security/recovery-codes", data={"password": "nope", "csrf_token": token}
        )
        assert wrong.status_code == 422 and 'id="regenerate_password-error"' in wrong.text
        new = await client.post(
            "/account/security/recovery-codes?lang=de",
            data={"password": PASSWORD, "csrf_token": token},
        )
        assert new.status_code == 200 and new.headers["cache-control"] == "no-store"
        assert "die alten funktionieren nicht mehr" in new.text
        codes = _codes(new.text)
        assert len(codes) == 10 and not set(codes) & set(old)
        await _sign_out(client)
        await _password_step(client, "ben")
        stale = await client.post(
            "/login/code", data={"code": old[0], "method": "recovery", "csrf_token": csrf(client)}
        )
        assert stale.status_code == 401
        fresh = await client.post(
            "/login/code", data={"code": codes[0], "method": "recovery", "csrf_token": csrf(client)}
        )
        assert fresh.status_code == 303


async def test_an_admin_resets_a_users_second_factor(sqlite_world: Portal) -> None:
    world = sqlite_world
    ben_id = world.ids["ben"]
    async with browser(world, "ben", lang="en") as ben:
        await _enrol(ben)
        await _sign_out(ben)

    async with browser(world, "anna", lang="en") as anna:
        # Ben's customer admin edits him, but the reset is the vendor's admins' alone.
        page = await anna.get(f"/admin/users/{ben_id}")
        assert page.status_code == 200 and 'id="mfa-reset-form"' not in page.text
        refused = await anna.post(
            f"/admin/users/{ben_id}/mfa/reset", data={"confirm": "yes", "csrf_token": csrf(anna)}
        )
        assert refused.status_code == 404

    async with browser(world, "admin", lang="en") as admin:
        page = await admin.get(f"/admin/users/{ben_id}")
        assert 'id="mfa-reset-form"' in page.text and "Reset second factor" in page.text
        # Without the answer to the question: the page that asks.
        asks = await admin.post(
            f"/admin/users/{ben_id}/mfa/reset", data={"csrf_token": csrf(admin)}
        )
        assert asks.status_code == 200 and "Remove the second factor of ben?" in asks.text
        forged = await admin.post(f"/admin/users/{ben_id}/mfa/reset", data={"confirm": "yes"})
        assert forged.status_code == 403
        unknown = await admin.post(
            "/admin/users/00000000-0000-4000-8000-000000000000/mfa/reset",
            data={"confirm": "yes", "csrf_token": csrf(admin)},
        )
        assert unknown.status_code == 404
        done = await admin.post(
            f"/admin/users/{ben_id}/mfa/reset?lang=de",
            data={"confirm": "yes", "username": "ben", "csrf_token": csrf(admin)},
        )
        assert done.status_code == 303
        assert done.headers["location"] == f"/admin/users/{ben_id}?done=mfa_reset&subject=ben"
        notice = await admin.get(done.headers["location"] + "&lang=de")
        assert "Der zweite Faktor von ben wurde zurückgesetzt." in notice.text
    events = await world.events("identity.user.mfa_reset", service="identity")
    assert len(events) == 1 and ben_id in str(events[0]["data"])

    # Ben signs in with his password alone again.
    async with browser(world, lang="en") as client:
        r = await sign_in(client, "ben")
        assert r.headers["location"] == "/"
