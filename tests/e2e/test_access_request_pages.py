"""Requesting access in the browser: the sign-in page's link, the form (with its hidden
field for robots), the mailbox page, the mailed link's button and the thank-you page;
the administration's count of pending requests in the navigation, and deciding: the
vendor's admin for every request, a customer's admin for those their domain matched."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from portal_harness import Portal
from web_kit import browser, csrf

FORM = {
    "name": "Jana Nováková",
    "company": "Acme Robotics",
    "email": "jana@acme.example",
    "phone": "+49 30 1234-56",
    "function": "Maintenance lead",
    "reason": "I look after our presses.",
    "language": "en",
    "website": "",
}


async def _token(world: Portal, email: str) -> str:
    events = await world.events("identity.access_request.confirmation_requested", "identity")
    link = next(e["data"]["link"] for e in reversed(events) if e["data"]["email"] == email)
    return parse_qs(urlsplit(link).query)["token"][0]


async def _domains(world: Portal) -> None:
    for name, domain in (("acme", "acme.example"), ("globex", "globex.example")):
        r = await world.client.patch(
            f"/api/v1/admin/organizations/{world.orgs[name]}",
            json={"email_domains": [domain]},
            headers=await world.admin(),
        )
        assert r.status_code == 200, r.text


async def _asked_and_confirmed(world: Portal, **changes: Any) -> None:
    body = {k: v for k, v in {**FORM, **changes}.items() if k != "website"}
    r = await world.client.post(
        "/api/v1/auth/access-requests", json=body, headers={"X-Forwarded-For": "192.0.2.9"}
    )
    assert r.status_code == 202, r.text
    token = await _token(world, body["email"])
    r = await world.client.post("/api/v1/auth/access-requests/confirm", json={"token": token})
    assert r.status_code == 200, r.text
    await world.settle()


async def test_asking_for_access_from_the_sign_in_page(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="en") as guest:
        login = await guest.get("/login")
        assert 'href="/access/request"' in login.text and "Request access" in login.text
        page = await guest.get("/access/request")
        assert page.status_code == 200
        for field in ("name", "company", "email", "phone", "function", "reason", "language"):
            assert f'id="{field}"' in page.text
        # The robots' field: hidden from people, out of the tab order, never filled in.
        trap = re.search(r'<div class="trap" aria-hidden="true">.*?</div>', page.text, re.S)
        assert trap is not None
        assert 'tabindex="-1"' in trap.group() and 'autocomplete="off"' in trap.group()
        assert 'name="website"' in trap.group()

        stale = await guest.post("/access/request", data={**FORM, "csrf_token": "forged"})
        assert stale.status_code == 403
        empty = await guest.post(
            "/access/request", data={"email": "jana@acme.example", "csrf_token": csrf(guest)}
        )
        assert empty.status_code == 422
        for field in ("name", "company", "reason"):
            assert f'id="{field}-error"' in empty.text
        assert "Enter your name." in empty.text and 'value="jana@acme.example"' in empty.text
        refused = await guest.post(
            "/access/request", data={**FORM, "phone": "call me", "csrf_token": csrf(guest)}
        )
        assert refused.status_code == 422 and 'id="phone-error"' in refused.text
        assert "Enter a telephone number" in refused.text
        assert 'value="Acme Robotics"' in refused.text

        sent = await guest.post("/access/request", data={**FORM, "csrf_token": csrf(guest)})
        assert sent.status_code == 303 and sent.headers["location"] == "/access/sent"
        mailbox = await guest.get("/access/sent")
        assert "Please look into your mailbox" in mailbox.text

        token = await _token(world, "jana@acme.example")
        # Opening the link confirms nothing (mail scanners open links); its button does.
        link = await guest.get(f"/access/confirm?token={token}")
        assert link.status_code == 200 and 'id="confirm-form"' in link.text
        assert f'name="token" value="{token}"' in link.text
        assert await world.events("identity.access_request.submitted", "identity") == []
        done = await guest.post("/access/confirm", data={"token": token, "csrf_token": csrf(guest)})
        assert done.status_code == 303 and done.headers["location"] == "/access/confirmed"
        thanks = await guest.get("/access/confirmed")
        assert "your request has reached us" in thanks.text
        assert "invitation e-mail" in thanks.text
        assert len(await world.events("identity.access_request.submitted", "identity")) == 1

        again = await guest.post(
            "/access/confirm", data={"token": token, "csrf_token": csrf(guest)}
        )
        assert again.status_code == 422
        assert "was used already or has expired" in again.text
        assert 'href="/access/request"' in again.text


async def test_the_pages_speak_german(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="de") as guest:
        login = await guest.get("/login")
        assert "Noch kein Konto?" in login.text and "Zugang anfragen" in login.text
        page = await guest.get("/access/request")
        assert "Wofür brauchen Sie den Zugang?" in page.text
        assert '<option value="de" selected>' in page.text  # the mails' language: the page's
        empty = await guest.post("/access/request", data={"csrf_token": csrf(guest)})
        assert "Geben Sie Ihren Namen ein." in empty.text
        sent = await guest.post(
            "/access/request", data={**FORM, "language": "de", "csrf_token": csrf(guest)}
        )
        assert sent.status_code == 303
        assert "Bitte sehen Sie in Ihr Postfach" in (await guest.get("/access/sent")).text
        link = await guest.get("/access/confirm?token=")
        assert "Dieser Link ist unvollständig." in link.text
        wrong = await guest.post(
            "/access/confirm", data={"token": "wrong", "csrf_token": csrf(guest)}
        )
        assert wrong.status_code == 422 and "Dieser Link ist ungültig" in wrong.text


async def test_too_many_requests_from_one_network_are_refused(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, lang="en") as guest:
        await guest.get("/access/request")
        answers = []
        for n in range(6):  # IDENTITY_ACCESS_REQUESTS_PER_ADDRESS_HOUR: 5
            data = {**FORM, "email": f"person{n}@acme.example", "csrf_token": csrf(guest)}
            answers.append(await guest.post("/access/request", data=data))
        assert [a.status_code for a in answers] == [303] * 5 + [429]
        assert "Too many access requests came from your network" in answers[-1].text
        assert int(answers[-1].headers["retry-after"]) > 0


async def test_an_admin_sees_the_count_and_approves(sqlite_world: Portal) -> None:
    world = sqlite_world
    await _domains(world)
    await _asked_and_confirmed(world)
    async with browser(world, "admin", lang="en") as admin:
        start = await admin.get("/")
        assert re.search(r'id="nav-pending">1<span class="sr-only"> pending access', start.text)
        page = await admin.get("/admin/access-requests")
        assert re.search(r'id="admin-nav-pending">1<', page.text)
        for shown in ("Jana Nováková", "Acme Robotics", "+49 30 1234-56", "Maintenance lead"):
            assert shown in page.text
        assert "I look after our presses." in page.text and "Asked on the sign-in page" in page.text
        request_id = re.search(r'id="request-([0-9a-f-]{36})" data-origin="sign_in"', page.text)
        assert request_id is not None
        rid = request_id.group(1)
        assert f'<option value="{world.orgs["acme"]}" selected>Acme</option>' in page.text
        assert f'id="username-{rid}" name="username" type="text" value="jananovakova"' in page.text

        taken = await admin.post(
            f"/admin/access-requests/{rid}/approve",
            data={
                "organization_id": world.orgs["acme"],
                "role": "customer",
                "username": "ben",
                "csrf_token": csrf(admin),
            },
        )
        assert taken.status_code == 409
        assert f'id="username-{rid}-error"' in taken.text and 'value="ben"' in taken.text
        approved = await admin.post(
            f"/admin/access-requests/{rid}/approve",
            data={
                "organization_id": world.orgs["globex"],
                "role": "customer_admin",
                "username": "jnovak",
                "csrf_token": csrf(admin),
            },
        )
        assert approved.status_code == 303, approved.text
        listed = await admin.get(approved.headers["location"])
        assert "The request for jnovak was approved" in listed.text
        assert 'id="nav-pending"' not in listed.text and 'id="admin-nav-pending"' not in listed.text
    users = await world.client.get("/api/v1/admin/users?limit=200", headers=await world.admin())
    jana = next(u for u in users.json()["items"] if u["username"] == "jnovak")
    assert jana["organization"]["id"] == world.orgs["globex"]
    assert jana["roles"] == ["customer_admin"] and jana["email"] == "jana@acme.example"
    invited = await world.events("identity.user.invited", "identity")
    assert invited[-1]["data"]["username"] == "jnovak"


async def test_a_customer_admin_decides_what_their_domain_matched(sqlite_world: Portal) -> None:
    world = sqlite_world
    await _domains(world)
    await world.user("gina", ["customer_admin"], world.orgs["globex"])
    await _asked_and_confirmed(world)
    await _asked_and_confirmed(world, email="tom@globex.example", name="Tom Grey", language="de")
    async with browser(world, "gina", lang="en") as gina:
        page = await gina.get("/admin/access-requests")
        assert "Tom Grey" in page.text and "Jana" not in page.text
        assert re.search(r'id="nav-pending">1<', page.text)
    async with browser(world, "anna", lang="de") as anna:
        page = await anna.get("/admin/access-requests?lang=de")
        assert "Jana Nováková" in page.text and "Tom Grey" not in page.text
        assert "Über die Anmeldeseite angefragt" in page.text
        rid = re.search(r'id="request-([0-9a-f-]{36})" data-origin="sign_in"', page.text)
        assert rid is not None
        # Into her own organization only: no organization to choose.
        assert f'id="org-{rid.group(1)}"' not in page.text
        rejected = await anna.post(
            f"/admin/access-requests/{rid.group(1)}/reject",
            data={"reason": "Bitte über die IT-Abteilung.", "csrf_token": csrf(anna)},
        )
        assert rejected.status_code == 303, rejected.text
        listed = await anna.get(rejected.headers["location"])
        assert "Jana Nováková" in listed.text  # the notice names the person
        assert 'id="nav-pending"' not in listed.text
    [event] = await world.events("identity.access_request.rejected", "identity")
    assert event["data"]["reason"] == "Bitte über die IT-Abteilung."
    assert event["data"]["email"] == "jana@acme.example"
