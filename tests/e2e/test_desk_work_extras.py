"""The desk's work page, continued: a text module inserted into the reply (without
script: a choice and "insert"; the search the script uses as JSON) with the status it
sets sent along with the message, linking related tickets (shown on both tickets and on
the customer's page), merging a duplicate after a confirmation, a merge refused in words,
and the ticket's agent group."""

from __future__ import annotations

import html
import re
from typing import Any

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


def text(page: str, element_id: str) -> str:
    """The element's words, tags left out and spaces joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", part(page, element_id))).split())


async def api_ticket(world: Portal, number: str, user: str = "erik") -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def new_module(world: Portal, **fields: Any) -> dict[str, Any]:
    r = await world.client.post("/api/v1/text-modules", json=fields, headers=await world.admin())
    assert r.status_code == 201, r.text
    return dict(r.json())


async def test_a_text_module_goes_into_the_reply_without_script(sqlite_world: Portal) -> None:
    world = sqlite_world
    module = await new_module(
        world,
        name="Restart the press",
        language="en",
        body="Dear {{customer.name}},\nplease restart the press and tell us if it runs.",
        keywords="reboot",
        set_status="waiting_customer",
    )
    await new_module(world, name="Presse neu starten", language="de", body="Hallo!")
    number = (await world.ticket("ben", title="Press stopped"))["number"]
    async with browser(world, "erik") as erik:
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        assert '<script src="/static/desk-work.js" defer>' in page
        choices = part(page, "module")
        assert f'<option value="{module["id"]}">Restart the press (sets waiting for customer)' in (
            choices
        )
        assert "Presse neu starten" in choices  # the other language is offered too
        assert 'id="module-changes" hidden' in page

        # The search the script uses: in a language, by a keyword; filling it in.
        found = await erik.get(f"/desk/{number}/text-modules?q=REBOOT&language=en")
        assert found.status_code == 200
        assert [m["name"] for m in found.json()["items"]] == ["Restart the press"]
        assert found.json()["items"][0]["sets"] == "waiting for customer"
        german = await erik.get(f"/desk/{number}/text-modules?q=reboot&language=de")
        assert german.json()["items"] == []
        filled = await erik.get(f"/desk/{number}/text-modules/{module['id']}")
        assert filled.status_code == 200 and filled.json()["body"].startswith("Dear Ben,\n")
        assert filled.json()["set_status"] == "waiting_customer"

        typed = {"body": "Hello.", "kind": "reply", "csrf_token": csrf(erik)}
        nothing = await erik.post(f"/desk/{number}/text-module?lang=en", data=typed)
        assert nothing.status_code == 422
        assert "Choose a text module to insert." in part(nothing.text, "module-error")
        assert ">Hello.</textarea>" in nothing.text  # what was typed stays

        chosen = {**typed, "module": module["id"]}
        inserted = await erik.post(f"/desk/{number}/text-module?lang=en", data=chosen)
        assert inserted.status_code == 200, inserted.text
        expected = "Hello.\n\nDear Ben,\nplease restart the press and tell us if it runs."
        assert f">{expected}</textarea>" in inserted.text
        changes = part(inserted.text, "module-changes")
        assert 'name="module_status" value="waiting_customer" checked' in changes
        assert "waiting for customer" in changes and " hidden" not in changes.split(">")[0]
        assert (await api_ticket(world, number))["status"] == "new"  # nothing sent yet

        sent = {
            "body": expected,
            "kind": "reply",
            "module_status": "waiting_customer",
            "seen_until": hidden(inserted.text, "seen_until"),
            "csrf_token": csrf(erik),
        }
        r = await erik.post(f"/desk/{number}", data=sent)
        assert r.status_code == 303, r.text
    assert (await api_ticket(world, number))["status"] == "waiting_customer"
    r = await world.client.get(f"/api/v1/tickets/{number}/articles", headers=await world.as_("ben"))
    assert [a["body"] for a in r.json()["items"]] == [expected]

    async with browser(world, "erik") as erik:
        chosen = {"body": "", "module": module["id"], "csrf_token": csrf(erik)}
        page = (await erik.post(f"/desk/{number}/text-module?lang=de", data=chosen)).text
        assert "Textbaustein einfügen" in page
        assert "auch den Status setzen auf" in part(page, "module-changes")
    async with browser(world, "ben") as ben:
        assert (await ben.get(f"/desk/{number}/text-modules?q=press")).status_code == 404


async def test_a_text_modules_priority_goes_along_with_the_message(sqlite_world: Portal) -> None:
    world = sqlite_world
    module = await new_module(
        world,
        name="Line down",
        language="en",
        body="We treat this as urgent.",
        set_priority="P1",
    )
    number = (await world.ticket("ben", title="Line 2 down"))["number"]
    before = (await api_ticket(world, number))["priority"]
    assert before != "P1"
    async with browser(world, "erik") as erik:
        chosen = {"body": "", "kind": "reply", "module": module["id"], "csrf_token": csrf(erik)}
        inserted = await erik.post(f"/desk/{number}/text-module?lang=en", data=chosen)
        assert inserted.status_code == 200, inserted.text
        changes = part(inserted.text, "module-changes")
        assert 'name="module_priority" value="P1" checked' in changes
        assert 'name="module_status" value="" disabled' in changes  # no status to set
        assert (await api_ticket(world, number))["priority"] == before  # nothing sent yet

        # Unticked, the message goes alone; ticked, the priority goes with it.
        for extra, expected in (({}, before), ({"module_priority": "P1"}, "P1")):
            page = (await erik.get(f"/desk/{number}?lang=en")).text
            sent = {
                "body": "We treat this as urgent.",
                "kind": "reply",
                "seen_until": hidden(page, "seen_until"),
                "csrf_token": csrf(erik),
                **extra,
            }
            r = await erik.post(f"/desk/{number}", data=sent)
            assert r.status_code == 303, r.text
            assert (await api_ticket(world, number))["priority"] == expected
    updates = [
        e["data"]
        for e in await world.events("tickets.ticket.updated")
        if e["data"]["number"] == number and "priority" in e["data"]["changes"]
    ]
    assert [u["changes"]["priority"] for u in updates] == [[before, "P1"]]
    assert updates[0]["actor_id"] == world.ids["erik"]


async def test_linked_tickets_and_a_merged_duplicate(sqlite_world: Portal) -> None:
    world = sqlite_world
    first = (await world.ticket("ben", title="Press leaks oil"))["number"]
    duplicate = (await world.ticket("anna", title="Oil under the press"))["number"]
    foreign = (await world.ticket("carla", title="Printer offline"))["number"]
    async with browser(world, "erik") as erik:
        token = csrf(erik)
        r = await erik.post(f"/desk/{first}/links", data={"number": duplicate, "csrf_token": token})
        assert r.status_code == 303
        assert r.headers["location"] == f"/desk/{first}?done=linked#links-heading"
        page = (await erik.get(f"/desk/{first}?done=linked&lang=en")).text
        assert "The tickets are linked." in page
        linked = text(page, f"link-{duplicate}")
        assert linked.startswith(f"Related: {duplicate} Oil under the press")
        assert f'href="/desk/{duplicate}"' in part(page, "linked-tickets")
        other_side = (await erik.get(f"/desk/{duplicate}?lang=en")).text
        assert f'href="/desk/{first}"' in part(other_side, "linked-tickets")

        unknown = await erik.post(
            f"/desk/{first}/links?lang=en", data={"number": "T999999", "csrf_token": token}
        )
        assert unknown.status_code == 422
        assert "There is no ticket T999999." in part(unknown.text, "link-number-error")
        assert 'value="T999999"' in unknown.text

        # A link across organizations, and removing it.
        r = await erik.post(f"/desk/{first}/links", data={"number": foreign, "csrf_token": token})
        assert r.status_code == 303
        r = await erik.post(f"/desk/{first}/links/{foreign}/remove", data={"csrf_token": token})
        assert r.status_code == 303 and "done=unlinked" in r.headers["location"]
        page = (await erik.get(f"/desk/{first}?lang=en")).text
        assert f"link-{foreign}" not in page and f"link-{duplicate}" in page

    async with browser(world, "ben") as ben:
        mine = (await ben.get(f"/tickets/{first}?lang=en")).text
        related = part(mine, "links-related")
        assert f'href="/tickets/{duplicate}"' in related and "Oil under the press" in related
        assert "Related tickets" in mine

    async with browser(world, "erik") as erik:
        token = csrf(erik)
        asked = await erik.post(
            f"/desk/{duplicate}/merge?lang=en", data={"into": first, "csrf_token": token}
        )
        assert asked.status_code == 200, asked.text
        assert f"Merge {duplicate} into {first}?" in asked.text
        what = f"Messages, attachments and followers of {duplicate} move to {first}; "
        assert what + f"{duplicate} is closed." in text(asked.text, "merge-what")
        assert (await api_ticket(world, duplicate))["merged_into"] is None  # only asked

        confirmed = {"into": first, "confirm": "yes", "csrf_token": token}
        r = await erik.post(f"/desk/{duplicate}/merge", data=confirmed)
        assert r.status_code == 303, r.text
        assert r.headers["location"] == f"/desk/{first}?done=merged"
        target = (await erik.get(r.headers["location"] + "&lang=en")).text
        assert "The duplicate was merged into this ticket" in target
        assert text(target, f"link-{duplicate}").startswith("Merged into this one:")

        source = (await erik.get(f"/desk/{duplicate}?lang=en")).text
        assert text(source, "merged-into").startswith(f"Merged into {first}.")
        assert f'href="/desk/{first}"' in part(source, "merged-into")
        assert 'id="work-form"' not in source and 'id="merge-form"' not in source
        assert "closed" in part(source, "current-status")
        late = {"body": "Anyone there?", "kind": "reply", "csrf_token": token}
        refused = await erik.post(f"/desk/{duplicate}?lang=de", data=late)
        assert refused.status_code == 409
        assert f"Das Ticket wurde in {first} zusammengeführt; schreiben Sie bitte dort." in (
            refused.text
        )
    merged = await api_ticket(world, duplicate)
    assert merged["merged_into"] == first and merged["status"] == "closed"

    async with browser(world, "anna") as anna:
        hers = (await anna.get(f"/tickets/{duplicate}?lang=en")).text
        notice = part(hers, "ticket-merged")
        assert f"This request continues in {first}." in text(hers, "ticket-merged")
        assert f'<a href="/tickets/{first}">{first}</a>' in notice
        assert 'id="reply-form"' not in hers
        german = (await anna.get(f"/tickets/{duplicate}?lang=de")).text
        assert f"Dieses Anliegen wird in {first} fortgesetzt." in text(german, "ticket-merged")


async def test_a_merge_across_organizations_is_refused_in_words(sqlite_world: Portal) -> None:
    world = sqlite_world
    acme = (await world.ticket("ben", title="Press leaks"))["number"]
    globex = (await world.ticket("carla", title="Printer offline"))["number"]
    sentence = (
        f"{acme} belongs to another organization than {globex}; only tickets of the same "
        "organization can be merged."
    )
    async with browser(world, "erik") as erik:
        token = csrf(erik)
        # Refused before the confirmation ...
        asked = await erik.post(
            f"/desk/{globex}/merge?lang=en", data={"into": acme, "csrf_token": token}
        )
        assert asked.status_code == 422
        assert sentence in text(asked.text, "merge-into-error")
        assert f'id="merge-into" name="into" type="text" value="{acme}"' in asked.text
        # ... and by the tickets service, should the confirmation come all the same.
        forced = {"into": acme, "confirm": "yes", "csrf_token": token}
        refused = await erik.post(f"/desk/{globex}/merge?lang=en", data=forced)
        assert refused.status_code == 422
        assert sentence in text(refused.text, "merge-into-error")
        german = await erik.post(f"/desk/{globex}/merge?lang=de", data=forced)
        assert "gehört zu einer anderen Organisation als" in text(german.text, "merge-into-error")
        itself = await erik.post(
            f"/desk/{acme}/merge?lang=en", data={"into": acme, "csrf_token": token}
        )
        assert "A ticket cannot be merged into itself." in itself.text
        nowhere = await erik.post(
            f"/desk/{acme}/merge?lang=en", data={"into": "T999999", "csrf_token": token}
        )
        assert "There is no ticket T999999." in text(nowhere.text, "merge-into-error")
    assert (await api_ticket(world, globex))["merged_into"] is None


async def test_the_facts_form_sets_the_agent_group(sqlite_world: Portal) -> None:
    world = sqlite_world
    r = await world.client.post(
        "/api/v1/agent-groups", json={"name": "Hydraulics"}, headers=await world.admin()
    )
    assert r.status_code == 201, r.text
    group = r.json()
    number = (await world.ticket("ben", title="Press leaks"))["number"]
    async with browser(world, "erik") as erik:
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        assert "no group" in part(page, "current-group")
        assert f'<option value="{group["id"]}">Hydraulics</option>' in part(page, "group_id")
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
                "current_group",
            )
        }
        facts = {
            **shown,
            "category": shown["current_category"],
            "priority": shown["current_priority"],
            "status": shown["current_status"],
            "assignee_id": shown["current_assignee"],
            "asset_id": shown["current_asset"],
            "group_id": group["id"],
            "csrf_token": csrf(erik),
        }
        r = await erik.post(f"/desk/{number}", data=facts)
        assert r.status_code == 303, r.text
        page = (await erik.get(f"/desk/{number}?lang=de")).text
        assert "Hydraulics" in part(page, "current-group") and "Gruppe" in page
        assert hidden(page, "current_group") == group["id"]
        assert f'<option value="{group["id"]}" selected>' in part(page, "group_id")
        bogus = {**facts, "current_group": group["id"], "group_id": "not-a-group"}
        assert (await erik.post(f"/desk/{number}", data=bogus)).status_code == 422
    assert (await api_ticket(world, number))["group"]["name"] == "Hydraulics"
