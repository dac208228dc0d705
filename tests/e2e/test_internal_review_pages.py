"""The customer's own first level in the browser: the vendor's admin and the customer
admin switch an organization's internal review on and grant the review permission; a
ticket in review shows where it stands and is a 404 page to the service desk; reviewers
land on their tickets, ask the requester, take a ticket back and hand it over; the list's
review filter in the link and in German and English; refused actions say why."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
import pytest
from portal_harness import Portal
from web_kit import browser, csrf

pytestmark = pytest.mark.integration


def numbers_in(page: str) -> list[str]:
    return re.findall(r'<tr id="ticket-([A-Z]\d+)">', page)


async def post(client: httpx.AsyncClient, path: str, data: dict[str, Any] | None = None) -> Any:
    return await client.post(path, data={"csrf_token": csrf(client), **(data or {})})


async def api(world: Portal, username: str, method: str, path: str, **kwargs: Any) -> Any:
    r = await world.client.request(method, path, headers=await world.as_(username), **kwargs)
    assert r.is_success, r.text
    return r.json() if r.content else None


async def _acme_reviews(world: Portal) -> None:
    """Acme turns its review on; Gina is one of its reviewers (Ben and Anna are not)."""
    r = await world.client.patch(
        f"/api/v1/admin/organizations/{world.orgs['acme']}",
        json={"internal_review": True},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    world.ids["gina"] = await world.user("gina", ["customer"], world.orgs["acme"])
    r = await world.client.patch(
        f"/api/v1/admin/users/{world.ids['gina']}",
        json={"permissions": ["review"]},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    await world.settle()


async def test_admins_set_the_review_and_domains_and_grant_the_permission(world: Portal) -> None:
    async with browser(world, "admin") as admin:
        form = await admin.get(f"/admin/organizations/{world.orgs['globex']}?lang=en")
        assert "Internal review (customer&#39;s first level)" in form.text
        assert 'name="internal_review"' in form.text and 'name="email_domains"' in form.text
        base = {"name": "Globex", "org_wide_visibility": "1", "active": "1"}
        path = f"/admin/organizations/{world.orgs['globex']}"

        # A domain not written as one is named at the field; what was typed stays.
        bad = await post(
            admin, f"{path}?lang=en", {**base, "email_domains": "globex.example, not a domain"}
        )
        assert bad.status_code == 422
        assert 'id="email_domains-error"' in bad.text
        assert "“not” is not an e-mail domain" in html.unescape(bad.text)
        assert "globex.example, not a domain</textarea>" in bad.text

        saved = await post(
            admin,
            path,
            {
                **base,
                "internal_review": "1",
                "email_domains": "Globex.example\nmail.globex.example",
            },
        )
        assert saved.status_code == 303, saved.text
        listed = await admin.get("/admin/organizations?lang=en")
        assert '<th scope="col">Internal review</th>' in listed.text
        found = await api(
            world, "admin", "GET", f"/api/v1/admin/organizations/{world.orgs['globex']}"
        )
        assert found["internal_review"] is True
        assert found["email_domains"] == ["globex.example", "mail.globex.example"]

        # Another organization's domain: refused at the field, in German.
        taken = await post(
            admin,
            f"/admin/organizations/{world.orgs['acme']}?lang=de",
            {"name": "Acme", "active": "1", "email_domains": "globex.example"},
        )
        assert taken.status_code == 422 and 'id="email_domains-error"' in taken.text
        assert "globex.example gehört bereits zu einer anderen Organisation." in taken.text

        # The vendor's staff review nothing: the permission is refused at its box.
        erik = await admin.get(f"/admin/users/{world.ids['erik']}?lang=en")
        assert 'id="permission-review"' not in erik.text
        refused = await post(
            admin,
            f"/admin/users/{world.ids['erik']}?lang=en",
            {"username": "erik", "email": "erik@example.com", "roles": "agent", "review": "1"},
        )
        assert refused.status_code == 422 and 'id="permission-review-error"' in refused.text
        assert "Only customers review their organization" in html.unescape(refused.text)

    async with browser(world, "anna") as anna:
        # The customer admin's own organization: the switch, and nothing else of it.
        overview = await anna.get("/admin?lang=en")
        assert 'href="/admin/organization"' in overview.text and "Our organization" in overview.text
        page = await anna.get("/admin/organization?lang=de")
        assert page.status_code == 200 and "Unsere Organisation: Acme" in page.text
        assert "Die interne Prüfung ist aus" in page.text
        expired = await anna.post("/admin/organization", data={"internal_review": "1"})
        assert expired.status_code == 403
        on = await post(anna, "/admin/organization", {"internal_review": "1"})
        assert on.status_code == 303 and on.headers["location"].endswith("done=review_on")
        shown = await anna.get(on.headers["location"] + "&lang=de")
        assert "Die interne Prüfung ist eingeschaltet." in shown.text
        assert 'name="internal_review" type="checkbox" value="1" checked' in shown.text
        acme = await api(world, "anna", "GET", f"/api/v1/admin/organizations/{world.orgs['acme']}")
        assert acme["internal_review"] is True

        # She makes Ben a reviewer on his user form; the list says who reviews.
        form = await anna.get(f"/admin/users/{world.ids['ben']}?lang=de")
        assert "Darf Tickets prüfen (First Level)" in form.text
        granted = await post(
            anna,
            f"/admin/users/{world.ids['ben']}",
            {"username": "ben", "email": "ben@example.com", "roles": "customer", "review": "1"},
        )
        assert granted.status_code == 303, granted.text
        users = await anna.get("/admin/users?lang=en")
        ben_row = users.text.split('id="user-ben"')[1].split("</tr>")[0]
        assert "Reviews tickets" in ben_row
        assert "Reviews tickets" not in users.text.split('id="user-anna"')[1].split("</tr>")[0]
        ben = await api(world, "admin", "GET", f"/api/v1/admin/users/{world.ids['ben']}")
        assert ben["permissions"] == ["review"]

    # Only customer admins have the page; the vendor's admin keeps the organization form.
    async with browser(world, "ben") as ben_browser:
        assert (await ben_browser.get("/admin/organization")).status_code == 404
    async with browser(world, "admin") as admin:
        moved = await admin.get("/admin/organization")
        assert moved.status_code == 303 and moved.headers["location"] == "/admin/organizations"


async def test_a_ticket_in_review_until_a_reviewer_hands_it_over(world: Portal) -> None:
    older = await world.ticket("ben", title="Robot arm calibration")  # before the review
    await _acme_reviews(world)

    async with browser(world, "ben") as ben:
        form = await ben.get("/tickets/new?template=none&lang=en")
        assert 'id="review-first"' in form.text and 'name="hand_over"' not in form.text
        created = await post(
            ben, "/tickets/new", {"title": "Badge reader at gate 2", "category": "incident"}
        )
        assert created.status_code == 303, created.text
        number = created.headers["location"].split("/tickets/")[1].split("?")[0]
        page = await ben.get(created.headers["location"] + "&lang=en")
        assert 'id="ticket-review"' in page.text and "Review by our IT" in page.text
        assert "the service desk does not see it until it is handed over" in page.text
        assert "Your IT reviews it first" in page.text  # the created notice
        assert "starts when the ticket is handed over" in page.text  # no SLA clock yet
        # Not a reviewer: no review actions; no escalation of what the desk lacks.
        assert 'id="hand-over-form"' not in page.text and 'id="escalate-form"' not in page.text
        german = await ben.get(f"/tickets/{number}?lang=de")
        assert (
            "Prüfung durch EDV" in german.text and "Der Service Desk sieht es erst" in german.text
        )
        refused = await post(ben, f"/tickets/{number}/hand-over?lang=de")
        assert refused.status_code == 422
        assert "Das dürfen nur die Prüfer Ihrer Organisation." in refused.text

    async with browser(world, "erik") as erik:
        hidden = await erik.get(f"/tickets/{number}?lang=en")
        assert hidden.status_code == 404
        assert "This ticket does not exist or is not available to you." in hidden.text

    async with browser(world, "gina") as gina:
        # The reviewer lands on the organization's tickets waiting for the IT.
        listed = await gina.get("/tickets?lang=en")
        assert 'id="review-internal" href="' in listed.text
        assert re.search(r'id="review-internal"[^>]*aria-current="page"', listed.text)
        assert 'aria-current="page">My organization' in listed.text
        assert numbers_in(listed.text) == [number]
        assert "Review by our IT</span>" in listed.text  # the row's badge
        every = re.search(r'id="review-all" href="([^"]+)"', listed.text)
        assert every is not None and "review=all" in every.group(1)
        everything = numbers_in((await gina.get(html.unescape(every.group(1)))).text)
        assert set(everything) == {number, older["number"]}
        # A link that filters already (the start page's counters) shows every state.
        searched = await gina.get("/tickets?q=calibration&lang=en")
        assert re.search(r'id="review-all"[^>]*aria-current="page"', searched.text)
        assert numbers_in(searched.text) == [older["number"]]
        export = re.search(r'id="export-link" href="([^"]+)"', listed.text)
        assert export is not None and "review=internal" in export.group(1)

        page = await gina.get(f"/tickets/{number}?lang=en")
        assert 'id="hand-over-form"' in page.text and "Ask the requester" in page.text
        wrong = await post(gina, f"/tickets/{number}/review?lang=en", {"review": "vendor"})
        assert wrong.status_code == 422 and "Choose one of the offered actions." in wrong.text
        no_token = await gina.post(f"/tickets/{number}/review", data={"review": "requester"})
        assert no_token.status_code == 403
        asked = await post(gina, f"/tickets/{number}/review", {"review": "requester"})
        assert asked.status_code == 303
        assert asked.headers["location"] == f"/tickets/{number}?done=review_requester"
        page = await gina.get(asked.headers["location"] + "&lang=de")
        assert "Die Rückfrage ist gestellt" in page.text and "Prüfung durch User" in page.text
        assert "Zurücknehmen" in page.text

    async with browser(world, "ben") as ben:
        # The requester lands on what waits for his answer, and answers.
        listed = await ben.get("/tickets?lang=de")
        assert re.search(r'id="review-requester"[^>]*aria-current="page"', listed.text)
        assert numbers_in(listed.text) == [number] and "Prüfung durch User</span>" in listed.text
        replied = await post(ben, f"/tickets/{number}/reply", {"body": "Gate 2, since Monday."})
        assert replied.status_code == 303
        back = await api(world, "ben", "GET", f"/api/v1/tickets/{number}")
        assert back["review"] == "internal"

    async with browser(world, "gina") as gina:
        handed = await post(gina, f"/tickets/{number}/hand-over")
        assert handed.status_code == 303
        page = await gina.get(handed.headers["location"] + "&lang=en")
        assert "Handed over to the service desk." in page.text
        assert 'id="ticket-review"' not in page.text and 'id="ticket-handed-over"' in page.text
        german = await gina.get(handed.headers["location"] + "&lang=de")
        assert "An den Service übergeben." in german.text
        again = await post(gina, f"/tickets/{number}/hand-over?lang=de")
        assert again.status_code == 409 and "Das Ticket ist bereits beim Service." in again.text
        with_desk = await gina.get("/tickets?review=none&lang=en")
        assert number in numbers_in(with_desk.text)
        assert re.search(r'id="review-none"[^>]*aria-current="page"', with_desk.text)

    async with browser(world, "erik") as erik:
        assert (await erik.get(f"/tickets/{number}")).status_code == 200
        assert number in numbers_in((await erik.get("/tickets?scope=organization")).text)


async def test_reviewers_may_hand_over_at_once_and_others_see_no_review(world: Portal) -> None:
    await _acme_reviews(world)
    async with browser(world, "gina") as gina:
        form = await gina.get("/tickets/new?template=none&lang=de")
        assert (
            "Sofort an den Service übergeben" in form.text and 'id="review-first"' not in form.text
        )
        created = await post(
            gina, "/tickets/new", {"title": "New laptop for M. Weber", "hand_over": "1"}
        )
        assert created.status_code == 303, created.text
        number = created.headers["location"].split("/tickets/")[1].split("?")[0]
        page = await gina.get(created.headers["location"] + "&lang=en")
        assert 'id="ticket-review"' not in page.text
        assert "Your ticket was created. We will get back to you." in page.text

        # A saved view keeps its review filter.
        saved = await post(gina, "/tickets/views", {"name": "Waiting", "review": "requester"})
        assert saved.status_code == 303
        listed = await gina.get("/tickets?lang=en")
        view = re.search(r'<a href="([^"]+)">Waiting</a>', listed.text)
        assert view is not None and "review=requester" in view.group(1)
    async with browser(world, "erik") as erik:
        assert (await erik.get(f"/tickets/{number}")).status_code == 200

    # Globex reviews nothing: no filter, no note, no choice.
    async with browser(world, "carla") as carla:
        listed = await carla.get("/tickets?lang=en")
        assert 'id="review-tabs"' not in listed.text and "review=" not in listed.text
        form = await carla.get("/tickets/new?template=none&lang=en")
        assert 'id="review-first"' not in form.text and 'name="hand_over"' not in form.text
        assert (await carla.get("/admin/organization")).status_code == 404  # no admin
