"""Account pages in the browser: lost password and the mailed link, the profile (its
language becomes the portal's), and the start page's counters for one's own
organization only."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from portal_harness import PASSWORD, Portal
from web_kit import browser, sign_in

NEW_PASSWORD = "a-brand-new-secret-42"


def _counters(page: str) -> dict[str, int]:
    found = re.findall(r'id="count-([\w-]+)"><span class="count">(\d+)</span>', page)
    return {key: int(n) for key, n in found}


async def _reset_token(world: Portal) -> str:
    events = await world.events("identity.password_reset.requested", service="identity")
    link = events[-1]["data"]["link"]
    assert urlsplit(link).path == "/password/reset"
    return parse_qs(urlsplit(link).query)["token"][0]


async def test_forgotten_password_is_reset_through_the_mailed_link(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="en") as client:
        page = await client.get("/password/forgot")
        assert page.status_code == 200 and 'id="forgot-form"' in page.text
        csrf = client.cookies["portal_csrf"]
        refused = await client.post("/password/forgot", data={"username": "ben"})
        assert refused.status_code == 403 and "Your form expired" in refused.text
        empty = await client.post("/password/forgot", data={"username": " ", "csrf_token": csrf})
        assert empty.status_code == 422 and 'id="username-error"' in empty.text
        assert 'aria-describedby="username-error"' in empty.text
        # Existing or not: the same answer.
        answers = []
        for username in ("nobody", "ben"):
            r = await client.post(
                "/password/forgot", data={"username": username, "csrf_token": csrf}
            )
            assert r.status_code == 303 and r.headers["location"] == "/password/forgot?sent=1"
            answers.append((await client.get(r.headers["location"])).text)
        assert answers[0] == answers[1] and "a mail with a link is on its way" in answers[0]
        events = await world.events("identity.password_reset.requested", service="identity")
        assert [e["data"]["username"] for e in events] == ["ben"]
        token = await _reset_token(world)

        form = await client.get(f"/password/reset?token={token}")
        assert form.status_code == 200 and f'value="{token}"' in form.text
        assert "Choose a new password" in form.text
        mismatch = await client.post(
            "/password/reset",
            data={
                "token": token,
                "new_password": NEW_PASSWORD,
                "new_password_repeat": NEW_PASSWORD + "x",
                "csrf_token": csrf,
            },
        )
        assert (
            mismatch.status_code == 422 and "The two passwords are not the same." in mismatch.text
        )
        assert 'aria-describedby="new_password_repeat-error"' in mismatch.text
        # The service's own rule, in the reader's language, linked to the field.
        short = await client.post(
            "/password/reset?lang=de",
            data={
                "token": token,
                "new_password": "kurz",
                "new_password_repeat": "kurz",
                "csrf_token": csrf,
            },
        )
        assert short.status_code == 422
        assert "Das Passwort muss mindestens 10 Zeichen haben." in short.text
        assert 'href="#new_password"' in short.text and 'aria-invalid="true"' in short.text
        done = await client.post(
            "/password/reset?lang=en",
            data={
                "token": token,
                "new_password": NEW_PASSWORD,
                "new_password_repeat": NEW_PASSWORD,
                "csrf_token": csrf,
            },
        )
        assert done.status_code == 303 and done.headers["location"] == (
            "/login?notice=password_set"
        )
        notice = await client.get(done.headers["location"] + "&lang=en")
        assert "Your password is set. Sign in with it now." in notice.text
        # The link works once.
        again = await client.post(
            "/password/reset",
            data={
                "token": token,
                "new_password": "yet-another-secret-77",
                "new_password_repeat": "yet-another-secret-77",
                "csrf_token": csrf,
            },
        )
        assert again.status_code == 422
        assert "This link is invalid, was used already or has expired." in again.text
        await sign_in(client, "ben", NEW_PASSWORD)

        incomplete = await client.get("/password/reset")
        assert "This link is incomplete." in incomplete.text
        assert 'id="reset-form"' not in incomplete.text
        first = await client.get("/password/first?token=abc&lang=de")
        assert first.status_code == 200 and "Ihr Passwort wählen" in first.text
        assert 'action="/password/first"' in first.text


async def test_sign_in_messages_come_from_the_service(sqlite_world: Portal) -> None:
    async with browser(sqlite_world, lang="de") as client:
        await client.get("/login")
        csrf = client.cookies["portal_csrf"]
        r = await client.post(
            "/login", data={"username": "ben", "password": "", "csrf_token": csrf}
        )
        assert r.status_code == 422 and "Das Passwort ist ein Pflichtfeld." in r.text
        assert 'aria-describedby="password-error"' in r.text
        r = await client.post(
            "/login", data={"username": "b e n", "password": "x", "csrf_token": csrf}
        )
        assert "Der Benutzername" in r.text and 'value="b e n"' in r.text
        await sign_in(client, "ben")
        # Signed in already: the sign-in page sends one home.
        again = await client.get("/login")
        assert again.status_code == 303 and again.headers["location"] == "/"
        out = await client.post("/logout", data={"csrf_token": csrf})
        assert out.headers["location"] == "/login?notice=signed_out"
        # Ben's profile says English: signing in chose it over the browser's German.
        assert "You are signed out." in (await client.get(out.headers["location"])).text


async def test_profile_saves_and_its_language_becomes_the_pages(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="en") as client:
        anonymous = await client.get("/profile")
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == "/login?next=/profile"
        signed_in = await sign_in(client, "ben")
        assert "portal_lang=en" in ";".join(signed_in.headers.get_list("set-cookie"))
        page = await client.get("/profile")
        assert page.status_code == 200 and 'lang="en"' in page.text
        assert 'value="ben@example.com"' in page.text and "Acme" in page.text
        assert "Customer" in page.text and 'id="pref_ticket_reply"' in page.text
        assert "A sign-in to my account from a new device" in page.text
        # Seven kinds of mail (a new device's sign-in too), all on, and the opt-out of
        # satisfaction surveys, off.
        assert page.text.count('type="checkbox"') == 8 and page.text.count(" checked") == 7
        csrf = client.cookies["portal_csrf"]
        form = {
            "email": "ben@example.com",
            "display_name": "Ben <b>Bold</b>",
            "language": "de",
            "pref_ticket_created": "1",
            "pref_ticket_status": "1",
        }
        refused = await client.post("/profile", data=form)
        assert refused.status_code == 403
        assert (await client.get("/api/v1/me")).json()["language"] == "en"

        saved = await client.post("/profile", data={**form, "csrf_token": csrf})
        assert saved.status_code == 303 and saved.headers["location"] == "/profile?saved=1"
        assert "portal_lang=de" in ";".join(saved.headers.get_list("set-cookie"))
        german = await client.get(saved.headers["location"])
        assert 'lang="de"' in german.text and "Ihr Profil ist gespeichert." in german.text
        assert "Ben &lt;b&gt;Bold&lt;/b&gt;" in german.text and "<b>Bold" not in german.text
        me = (await client.get("/api/v1/me")).json()
        assert me["language"] == "de" and me["display_name"] == "Ben <b>Bold</b>"
        assert me["notification_preferences"] == {
            "ticket_created": True,
            "ticket_reply": False,
            "ticket_status": True,
            "ticket_escalated": False,
            "case_file": False,
            "sla_breach": False,
            "new_sign_in": False,
        }

        # A new e-mail address needs the current password: the message, and what was typed.
        typed = {**form, "email": "ben.new@example.com", "csrf_token": csrf}
        refused = await client.post("/profile", data=typed)
        assert refused.status_code == 422
        assert "Geben Sie Ihr aktuelles Passwort ein" in refused.text
        assert 'value="ben.new@example.com"' in refused.text
        assert 'aria-describedby="current_password-hint current_password-error"' in refused.text
        changed = await client.post("/profile", data={**typed, "current_password": PASSWORD})
        assert changed.status_code == 303
        assert (await client.get("/api/v1/me")).json()["email"] == "ben.new@example.com"

    # The next sign-in brings the profile's language along.
    async with browser(world, lang="en") as client:
        signed_in = await sign_in(client, "ben")
        assert "portal_lang=de" in ";".join(signed_in.headers.get_list("set-cookie"))
        assert 'lang="de"' in (await client.get("/")).text


async def test_home_counts_one_organization_and_lists_my_open_tickets(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    mine = [
        await world.ticket("ben", priority="P1", title="Press <b>stops</b>"),
        await world.ticket("ben", priority="P2", title="Label printer"),
    ]
    annas = await world.ticket("anna", priority="P3", title="Annas ticket")
    carlas = await world.ticket("carla", title="Globex only")
    await world.client.post(
        f"/api/v1/tickets/{mine[1]['number']}/articles",
        json={"body": "Which model?"},
        headers=await world.as_("erik"),
    )
    r = await world.client.patch(
        f"/api/v1/tickets/{mine[1]['number']}",
        json={"status": "waiting_customer"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text

    async with browser(world, lang="en") as client:
        anonymous = await client.get("/")
        assert anonymous.status_code == 200 and 'id="sign-in"' in anonymous.text
        assert 'action="/faq"' in anonymous.text and 'name="q"' in anonymous.text
        assert "counters-priority" not in anonymous.text

        await sign_in(client, "ben")
        home = (await client.get("/")).text
        assert _counters(home) == {
            "priority-P1": 1,
            "priority-P2": 1,
            "priority-P3": 1,
            "priority-P4": 0,
            "status-in_progress": 2,
            "status-answer_expected": 1,
            "status-postponed": 0,
            "status-closed": 0,
        }
        assert 'href="/tickets?priority=P1"' in home and 'href="/tickets?status=closed"' in home
        table = home.split('id="my-open-tickets"')[1].split("</table>")[0]
        assert all(t["number"] in table for t in mine) and annas["number"] not in table
        assert "Press &lt;b&gt;stops&lt;/b&gt;" in table and "<b>stops" not in home
        assert "light-answer_expected" in table and 'href="/tickets/new"' in home
        assert carlas["number"] not in home

    async with browser(world, lang="en") as client:
        await sign_in(client, "carla")
        home = (await client.get("/")).text
        counters = _counters(home)
        assert counters["priority-P4"] == 1 and counters["status-in_progress"] == 1
        assert sum(n for key, n in counters.items() if key.startswith("priority")) == 1
        assert carlas["number"] in home
        assert not re.search("|".join(t["number"] for t in [*mine, annas]), home)
