"""The pages offer only the priorities the tickets service allows, a raised priority
moves the reaction due time, a closed ticket's clock shows as stopped, the ticket page
shows both targets (reaction, resolution), the terms and a pause while the desk waits for
the customer, and every time is shown in the viewer's zone (a profile setting), zone
named."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from portal_harness import Portal
from web_kit import browser


async def post(client: httpx.AsyncClient, path: str, data: dict) -> httpx.Response:
    return await client.post(path, data={"csrf_token": client.cookies["portal_csrf"], **data})


def _options(page: str) -> list[str]:
    select = re.search(r'<select id="ticket-priority".*?</select>', page, re.S)
    return re.findall(r'<option value="(P\d)"', select.group()) if select else []


async def test_customer_without_priority_contract_is_offered_no_priority(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    ticket = await world.ticket("carla")
    async with browser(world, "carla") as client:
        page = await client.get(f"/tickets/{ticket['number']}")
        assert page.status_code == 200 and _options(page.text) == []
        assert 'id="ticket-priority-fixed"' in page.text
        assert "no priority contract; priority stays P4" in page.text
        new = await client.get("/tickets/new?template=none")
        assert 'id="priority-fixed"' in new.text and 'id="priority-p1"' not in new.text
        # A form sent anyway is refused with the reason, in the reader's language.
        refused = await post(client, f"/tickets/{ticket['number']}/details", {"priority": "P1"})
        assert refused.status_code == 422
        assert "Your organization has no priority contract; priority stays P4." in refused.text
        client.cookies.set("portal_lang", "de")
        refused = await post(client, f"/tickets/{ticket['number']}/details", {"priority": "P1"})
        assert "Ihre Organisation hat keinen Prioritätsvertrag" in refused.text
    assert (
        await world.client.get(
            f"/api/v1/tickets/{ticket['number']}", headers=await world.as_("carla")
        )
    ).json()["priority"] == "P4"
    async with browser(world, "ben") as client:
        new = await client.get("/tickets/new?template=none")
        assert 'id="priority-p1"' in new.text


async def test_the_new_ticket_form_names_the_reaction_times_of_the_terms_in_force(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    contract = await world.contract(world.orgs["acme"], "Gold")  # P1 2 h .. P4 40 h
    admin = await world.admin()
    r = await world.client.patch(
        f"/api/v1/contracts/{contract['id']}", json={"default_priority": "P2"}, headers=admin
    )
    assert r.status_code == 200, r.text
    async with browser(world, "ben") as client:
        new = (await client.get("/tickets/new?template=none&lang=en")).text
        # Beside each priority the contract's time, as in the targets table: no fixed
        # "4 hours" or "business days" contradicting it.
        assert re.search(r'id="sla-p1">first reaction within 2 business hours<', new)
        assert re.search(r'id="sla-p4">first reaction within 40 business hours<', new)
        assert "business day" not in new and "within 4 hours" not in new
        assert "Reaction times of your service levels" in new
        # The contract's default priority is the one chosen unless the customer changes it.
        assert 'value="P2" checked' in new and 'value="P4" checked' not in new
        german = (await client.get("/tickets/new?template=none&lang=de")).text
        assert "erste Reaktion innerhalb von 2 Geschäftsstunden" in german
    async with browser(world, "carla") as client:
        # No priority contract: P4, with the standard terms' P4 time (5 days of 9 hours).
        fixed = (await client.get("/tickets/new?template=none&lang=en")).text
        assert re.search(
            r'id="priority-fixed">[^<]*handled as P4\. First reaction within 45 business hours\.',
            fixed,
        )


async def test_raised_priority_shows_the_new_due_time_in_the_viewers_zone(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben", priority="P3")
    created = datetime.fromisoformat(ticket["created_at"])
    due = await world.reaction_due("ben", world.orgs["acme"], created, "P1")
    async with browser(world, "ben") as client:
        page = await client.get(f"/tickets/{ticket['number']}")
        assert _options(page.text) == ["P1", "P2", "P3", "P4"]
        saved = await post(
            client, f"/tickets/{ticket['number']}/details", {"priority": "P1", "category": ""}
        )
        assert saved.status_code == 303, saved.text
        page = await client.get(saved.headers["location"])
        berlin = due.astimezone(ZoneInfo("Europe/Berlin"))
        shown = berlin.strftime("%Y-%m-%d %H:%M ") + berlin.tzname()  # CET or CEST
        sla = re.search(r'<dd id="ticket-sla">.*?</dd>', page.text, re.S).group()
        assert shown in sla and "(Europe/Berlin)" in sla

        # The zone is a profile setting; the pages follow it at once.
        profile = await client.get("/profile")
        assert 'id="time_zone"' in profile.text and 'value="Europe/Berlin"' in profile.text
        form = {"email": "ben@example.com", "display_name": "Ben", "language": "de"}
        wrong = await post(client, "/profile", {**form, "time_zone": "Mars/Olympus"})
        assert wrong.status_code == 422 and "Unknown time zone. Choose" in wrong.text
        assert 'value="Mars/Olympus"' in wrong.text  # what was typed is kept
        ok = await post(client, "/profile", {**form, "time_zone": "America/New_York"})
        assert ok.status_code == 303
        assert "portal_tz=" in ";".join(ok.headers.get_list("set-cookie"))
        page = await client.get(f"/tickets/{ticket['number']}")
        york = due.astimezone(ZoneInfo("America/New_York"))
        sla = re.search(r'<dd id="ticket-sla">.*?</dd>', page.text, re.S).group()
        assert york.strftime("%d.%m.%Y %H:%M ") + york.tzname() in sla
        assert "(America/New_York)" in sla
    # Signing in again brings the profile's zone back to a new browser.
    async with browser(world, "ben") as client:
        # (The cookie's value is quoted: it holds a slash.)
        assert (client.cookies.get("portal_tz") or "").strip('"') == "America/New_York"


async def test_closed_ticket_shows_a_stopped_clock(sqlite_world: Portal) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben", priority="P1")
    await world.client.post(
        f"/api/v1/tickets/{ticket['number']}/close", headers=await world.as_("ben")
    )
    async with browser(world, "ben") as client:
        page = await client.get(f"/tickets/{ticket['number']}")
        sla = re.search(r'<dd id="ticket-sla">.*?</dd>', page.text, re.S).group()
        assert "sla-stopped" in sla and "stopped: the ticket was closed" in sla
        assert "on track" not in sla and "breached" not in sla
        # Closing settles the resolution target: in time here.
        assert "met: resolved in time" in sla


def _part(page: str, element_id: str) -> str:
    """The element with `element_id`, up to its closing tag (none of these nest)."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>.*?</\1>', page, re.S)
    assert found, element_id
    return found.group()


async def test_ticket_page_shows_both_targets_the_terms_and_a_pause(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    await world.contract(world.orgs["acme"], "Gold")
    ticket = await world.ticket("ben", priority="P2")
    number = ticket["number"]
    async with browser(world, "ben") as ben:
        page = (await ben.get(f"/tickets/{number}?lang=en")).text
        reaction = _part(page, "ticket-sla-reaction")
        resolution = _part(page, "ticket-sla-resolution")
        assert "First reaction" in reaction and "on track" in reaction and "Due:" in reaction
        assert "Resolution:" in resolution and "on track" in resolution
        assert "Target: 24 business hours" in resolution
        assert "Due:" in resolution and "<time " in resolution
        # The customer's terms, linked to their contract page.
        terms = _part(page, "ticket-sla-contract")
        assert 'href="/contract"' in terms and "Gold" in terms
        assert 'id="ticket-sla-paused"' not in page

    # The desk asks the customer: the clock pauses, and the page says since when.
    r = await world.client.patch(
        f"/api/v1/tickets/{number}",
        json={"status": "waiting_customer"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200, r.text
    async with browser(world, "ben") as ben:
        page = (await ben.get(f"/tickets/{number}?lang=en")).text
        paused = _part(page, "ticket-sla-paused")
        assert "Paused: waiting for your answer since <time " in paused
        assert "sla-paused" in _part(page, "ticket-sla-resolution")
        german = (await ben.get(f"/tickets/{number}?lang=de")).text
        assert "Pausiert: wir warten seit <time " in _part(german, "ticket-sla-paused")
        assert "Lösung" in _part(german, "ticket-sla-resolution")
    async with browser(world, "erik") as erik:
        page = (await erik.get(f"/tickets/{number}?lang=en")).text
        assert "waiting for the customer&#39;s answer since" in _part(page, "ticket-sla-paused")
        assert 'href="/contract"' not in _part(page, "ticket-sla-contract")
    # Without a contract, the standard terms.
    other = await world.ticket("carla")
    async with browser(world, "carla") as carla:
        page = (await carla.get(f"/tickets/{other['number']}?lang=en")).text
        assert "standard terms (no contract)" in _part(page, "ticket-sla-contract")
        assert 'id="ticket-sla-paused"' not in page
