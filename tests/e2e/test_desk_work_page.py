"""The desk in the browser: an agent opens a ticket for a caller (found by name,
organization or e-mail address), and works a ticket on one page: its facts changed in
one form, the customer's other open tickets, following it, and a reply held back when
someone else's message arrived while the agent was writing."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx
from portal_harness import Portal
from web_kit import browser, csrf


def part(page: str, element_id: str) -> str:
    """The element with `element_id`, up to its first closing tag of that name."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>.*?</\1>', page, re.S)
    assert found, element_id
    return found.group()


def hidden(page: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', page)
    assert found, name
    return found.group(1)


async def api_ticket(world: Portal, number: str, user: str) -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def bodies(world: Portal, number: str) -> list[str]:
    r = await world.client.get(
        f"/api/v1/tickets/{number}/articles", headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text
    return [a["body"] for a in r.json()["items"]]


async def found_callers(erik: httpx.AsyncClient, q: str) -> str:
    page = await erik.get("/desk/new", params={"q": q, "lang": "en"})
    assert page.status_code == 200, page.text
    return part(page.text, "contact-results")


async def test_agent_opens_a_phone_ticket_for_a_caller(sqlite_world: Portal) -> None:
    world = sqlite_world
    link = 'href="/desk/new?contact={}"'
    ben, anna, carla = (link.format(world.ids[u]) for u in ("ben", "anna", "carla"))
    r = await world.client.post(
        "/api/v1/agent-groups",
        json={"name": "Machines", "member_ids": [world.ids["erik"]]},
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    machines = r.json()["id"]
    async with browser(world, "erik") as erik:
        start = await erik.get("/desk/new?lang=en")
        assert start.status_code == 200 and "Open a ticket for a caller" in start.text
        assert 'href="/desk/new">Ticket for a caller</a>' in start.text  # in the navigation
        assert '<script src="/static/desk-new.js" defer>' in start.text

        by_name = await found_callers(erik, "ben")
        assert ben in by_name and anna not in by_name and "Ben (ben)" in by_name
        by_org = await found_callers(erik, "Acme")
        assert ben in by_org and anna in by_org and carla not in by_org
        by_mail = await found_callers(erik, "BEN@example.com")
        assert ben in by_mail and anna not in by_mail and "Acme" in by_mail
        nobody = await found_callers(erik, "erik")  # staff are no callers
        assert "Nobody found." in nobody
        typed = await erik.get("/desk/new/contacts?q=acme")
        assert typed.status_code == 200
        assert {c["username"] for c in typed.json()["items"]} == {"anna", "ben"}

        form = await erik.get(f"/desk/new?contact={world.ids['ben']}&lang=en")
        assert form.status_code == 200
        assert "Ben (ben)" in part(form.text, "caller-name")
        assert "Acme" in part(form.text, "caller-organization")
        assert '<option value="phone" selected>phone</option>' in part(form.text, "channel")
        assert "Without a priority contract the ticket opens as P4." in form.text
        groups = part(form.text, "group_id")
        assert '<option value="" selected>chosen by the routing rules</option>' in groups
        assert f'<option value="{machines}">Machines</option>' in groups
        assert 'aria-describedby="group_id-hint"' in groups

        fields = {
            "contact_id": world.ids["ben"],
            "title": "Press stopped, caller on the line",
            "description": "Ben called at 9:05.",
            "channel": "phone",
            "category": "incident",
            "priority": "P2",
            "csrf_token": csrf(erik),
        }
        untitled = await erik.post("/desk/new?lang=en", data={**fields, "title": ""})
        assert untitled.status_code == 422
        assert 'id="title-error"' in untitled.text and "Ben called at 9:05." in untitled.text
        for bogus in ("not-a-group", "00000000-0000-4000-8000-000000000000"):
            wrong = await erik.post("/desk/new?lang=en", data={**fields, "group_id": bogus})
            assert wrong.status_code == 422, bogus
            assert 'id="group_id-error"' in wrong.text, bogus

        r = await erik.post("/desk/new", data={**fields, "group_id": machines})
        assert r.status_code == 303, r.text
        number = r.headers["location"].removeprefix("/desk/").removesuffix("?done=opened")
        page = await erik.get(r.headers["location"] + "&lang=en")
        assert page.status_code == 200 and "The ticket was opened." in page.text
        assert "phone" in part(page.text, "channel") and "Ben" in part(page.text, "contact")
        assert "Erik" in part(page.text, "creator") and "Acme" in part(page.text, "organization")

    opened = await api_ticket(world, number, "ben")  # ben sees it: it is his
    assert (opened["channel"], opened["priority"]) == ("phone", "P2")
    assert opened["contact"]["id"] == world.ids["ben"]
    assert opened["organization"]["id"] == world.orgs["acme"]
    assert (await api_ticket(world, number, "erik"))["group"]["id"] == machines

    # Globex has no priority contract: the ticket opens as P4, as the form says.
    async with browser(world, "erik") as erik:
        form = await erik.get(f"/desk/new?contact={world.ids['carla']}&lang=de")
        assert "Ohne Prioritätsvertrag wird das Ticket mit P4 eröffnet." in form.text
        assert ">nach den Routing-Regeln</option>" in part(form.text, "group_id")
        r = await erik.post(
            "/desk/new",
            data={
                "contact_id": world.ids["carla"],
                "title": "Badge reader dead",
                "channel": "phone",
                "category": "incident",
                "priority": "P1",
                "csrf_token": csrf(erik),
            },
        )
        assert r.status_code == 303, r.text
    globex = r.headers["location"].removeprefix("/desk/").removesuffix("?done=opened")
    assert (await api_ticket(world, globex, "carla"))["priority"] == "P4"
    async with browser(world, "ben") as customer:
        mine = await customer.get("/tickets")
        assert number in mine.text


async def test_customers_find_no_caller_page(sqlite_world: Portal) -> None:
    world = sqlite_world
    async with browser(world, "ben") as ben:
        assert (await ben.get("/desk/new")).status_code == 404
        assert (await ben.get("/desk/new?q=acme")).status_code == 404
        assert (await ben.get("/desk/new/contacts?q=acme")).status_code == 404
        refused = await ben.post(
            "/desk/new",
            data={"contact_id": world.ids["anna"], "title": "x", "csrf_token": csrf(ben)},
        )
        assert refused.status_code == 404
        assert 'href="/desk/new"' not in (await ben.get("/")).text
    anonymous = await world.client.get("/desk/new")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/desk/new"


async def new_asset(world: Portal, serial: str, name: str) -> dict[str, Any]:
    body = {"organization_id": world.orgs["acme"], "name": name, "serial_number": serial}
    r = await world.client.post("/api/v1/assets", json=body, headers=await world.admin())
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_work_page_changes_the_facts_in_one_submit(sqlite_world: Portal) -> None:
    world = sqlite_world
    await new_asset(world, "HP-200-17", "Hydraulic press")
    number = (await world.ticket("ben", title="Press leaks"))["number"]
    sibling = (await world.ticket("anna", title="Badge reader"))["number"]
    foreign = (await world.ticket("carla", title="Printer offline"))["number"]
    async with browser(world, "erik") as erik:
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        others = part(page, "other-tickets")
        assert f'href="/desk/{sibling}"' in others and "Badge reader" in others
        assert f"/desk/{number}" not in others and f"/desk/{foreign}" not in others
        assert 'id="facts-form"' in page
        assert f'data-suggest="/assets/suggest?organization_id={world.orgs["acme"]}"' in page
        assert "HP-200-17" in part(page, "asset-options")
        shown = {
            name: hidden(page, name)
            for name in (
                "current_category",
                "current_priority",
                "current_subject_area",
                "current_subtype",
                "current_asset",
                "current_status",
                "current_assignee",
            )
        }
        assert shown["current_category"] == "incident" and shown["current_asset"] == ""
        facts = {
            **shown,
            "category": "change_request",
            "priority": "P2",
            "subject_area": "",
            "subtype": "",
            "asset_id": "HP-200-17",
            "status": shown["current_status"],
            "assignee_id": world.ids["erik"],
            "csrf_token": csrf(erik),
        }
        r = await erik.post(f"/desk/{number}", data=facts)
        assert r.status_code == 303, r.text
        after = await api_ticket(world, number, "erik")
        assert (after["category"], after["priority"]) == ("change_request", "P2")
        assert after["asset"]["serial_number"] == "HP-200-17"
        assert after["assignee"]["id"] == world.ids["erik"]
        page = (await erik.get(f"/desk/{number}?done=saved&lang=en")).text
        assert "Saved." in page and "Change request" in part(page, "current-category")
        assert "P2" in part(page, "current-priority") and "Erik" in part(page, "current-assignee")
        assert "Hydraulic press (HP-200-17)" in part(page, "current-asset")
        assert hidden(page, "current_asset") == "HP-200-17"

        unknown = {
            **facts,
            "current_category": "change_request",
            "current_priority": "P2",
            "current_asset": "HP-200-17",
            "current_assignee": world.ids["erik"],
            "asset_id": "NOPE-1",
        }
        refused = await erik.post(f"/desk/{number}?lang=en", data=unknown)
        assert refused.status_code == 422
        message = "The customer's organization has no installation with this serial number or id."
        assert message in html.unescape(part(refused.text, "asset_id-error"))
        assert 'value="NOPE-1"' in refused.text  # what was typed stays
        assert (await api_ticket(world, number, "erik"))["asset"]["serial_number"] == "HP-200-17"
        german = await erik.post(f"/desk/{number}?lang=de", data=unknown)
        assert "keine Anlage mit dieser Seriennummer" in part(german.text, "asset_id-error")

        # Following the ticket, and no longer.
        follow = {"follow": "1", "csrf_token": csrf(erik)}
        r = await erik.post(f"/desk/{number}/follow", data=follow)
        assert r.status_code == 303 and r.headers["location"] == f"/desk/{number}?done=followed"
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        assert "You follow this ticket" in part(page, "following")
        r = await erik.post(f"/desk/{number}/follow", data={**follow, "follow": "0"})
        assert r.status_code == 303
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        assert "You do not follow this ticket." in part(page, "following")


async def test_a_reply_waits_for_a_message_that_arrived_meanwhile(sqlite_world: Portal) -> None:
    world = sqlite_world
    world.ids["frida"] = await world.user("frida", ["agent"], None)
    number = (await world.ticket("ben", title="Robot cell halted"))["number"]
    async with browser(world, "erik") as erik, browser(world, "frida") as frida:
        page = (await erik.get(f"/desk/{number}")).text
        seen = hidden(page, "seen_until")
        theirs = await frida.post(
            f"/desk/{number}",
            data={"body": "Frida was quicker.", "kind": "reply", "csrf_token": csrf(frida)},
        )
        assert theirs.status_code == 303, theirs.text

        typed = "Please restart the controller."
        mine = {"body": typed, "kind": "reply", "seen_until": seen, "csrf_token": csrf(erik)}
        held = await erik.post(f"/desk/{number}?lang=en", data=mine)
        assert held.status_code == 409, held.text
        notice = "A new message arrived while you were writing. Read it, then send again."
        assert notice in part(held.text, "newer-message")
        assert typed in part(held.text, "body") and "Frida was quicker." in held.text
        assert typed not in await bodies(world, number)

        german = await erik.post(f"/desk/{number}?lang=de", data=mine)
        assert german.status_code == 409
        assert "eine neue Nachricht eingegangen" in part(german.text, "newer-message")
        assert "Weitere offene Tickets des Kunden" in german.text
        assert "Angaben zum Ticket ändern" in german.text and "Eingegangen per" in german.text

        again = {**mine, "seen_until": hidden(held.text, "seen_until")}
        assert again["seen_until"] != seen
        sent = await erik.post(f"/desk/{number}", data=again)
        assert sent.status_code == 303, sent.text
        # The agent's own messages never hold back the next one.
        note = {**again, "body": "Called him too.", "kind": "internal"}
        assert (await erik.post(f"/desk/{number}", data=note)).status_code == 303
    assert await bodies(world, number) == ["Frida was quicker.", typed, "Called him too."]

    async with browser(world, "erik", lang="de") as erik:
        page = await erik.get("/desk/new?lang=de")
        assert "Ticket für einen Anrufer eröffnen" in page.text
        assert "Name, Organisation oder E-Mail-Adresse" in page.text
