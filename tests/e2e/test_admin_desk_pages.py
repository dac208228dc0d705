"""The desk's setup in the browser: the vendor's admin keeps agent groups (members in
round-robin order, a lead), routing rules (conditions in words, moved up and down,
changed and deleted) and text modules (refused placeholders and constructs in words,
searched, previewed for a ticket), in English and German; deleting asks first. Agents,
customers and customer admins do not find these pages."""

from __future__ import annotations

from typing import Any

import httpx
from portal_harness import Portal
from web_kit import browser, csrf

GROUPS = "/api/v1/agent-groups"
RULES = "/api/v1/routing-rules"
MODULES = "/api/v1/text-modules"
PAGES = ("/admin/groups", "/admin/routing", "/admin/text-modules", "/admin/groups/new")


async def api(world: Portal, method: str, path: str, **kwargs: Any) -> Any:
    r = await world.client.request(method, path, headers=await world.admin(), **kwargs)
    assert r.is_success, r.text
    return r.json() if r.content else None


async def group_named(world: Portal, name: str) -> dict[str, Any]:
    return next(g for g in (await api(world, "GET", GROUPS))["items"] if g["name"] == name)


async def rule_ids(world: Portal) -> list[str]:
    return [r["id"] for r in (await api(world, "GET", RULES))["items"]]


async def keeps_groups(world: Portal, admin: httpx.AsyncClient) -> dict[str, Any]:
    rita, sam = world.ids["rita"], world.ids["sam"]
    new = await admin.get("/admin/groups/new")
    assert new.status_code == 200
    assert f'id="member-{rita}"' in new.text and f'id="member-{sam}"' in new.text
    assert 'href="/admin/routing"' in new.text and 'href="/admin/text-modules"' in new.text
    form = {
        "csrf_token": csrf(admin),
        "name": "Robotics team",
        "lead_id": rita,
        "round_robin": "1",
        "members": [rita, sam],
        # Sam first: the typed order, not the order of the list.
        f"position-{rita}": "2",
        f"position-{sam}": "1",
    }
    created = await admin.post("/admin/groups/new", data=form)
    assert created.status_code == 303, created.text
    listing = await admin.get(created.headers["location"])
    assert "The agent group Robotics team was created." in listing.text
    assert "Sam, Rita" in listing.text and "0 rules" in listing.text
    robotics = await group_named(world, "Robotics team")
    assert [m["id"] for m in robotics["members"]] == [sam, rita]
    assert robotics["lead"]["id"] == rita and robotics["round_robin"] is True

    # A name taken: the message at the name, the choices kept.
    taken = await admin.post("/admin/groups/new", data={**form, "name": "robotics TEAM"})
    assert taken.status_code == 422, taken.text
    assert 'id="name-error"' in taken.text
    assert "Another agent group has this name." in taken.text
    assert f'id="member-{sam}" name="members" value="{sam}" checked' in taken.text

    edit = await admin.get(f"/admin/groups/{robotics['id']}")
    assert 'value="Robotics team"' in edit.text and f'<option value="{rita}" selected>' in edit.text
    changed = await admin.post(
        f"/admin/groups/{robotics['id']}",
        data={**form, "members": [rita], "round_robin": ""},
    )
    assert changed.status_code == 303, changed.text
    robotics = await group_named(world, "Robotics team")
    assert [m["id"] for m in robotics["members"]] == [rita] and not robotics["round_robin"]
    return robotics


async def keeps_rules(world: Portal, admin: httpx.AsyncClient, robotics: dict[str, Any]) -> None:
    acme = world.orgs["acme"]
    printers = await api(world, "POST", GROUPS, json={"name": "Printers"})
    new = await admin.get("/admin/routing/new")
    assert '<option value="Robotics">Robotics</option>' in new.text
    assert f'<option value="{acme}">Acme</option>' in new.text

    # No condition: said in words at the conditions, the group chosen kept.
    bare = await admin.post(
        "/admin/routing/new", data={"csrf_token": csrf(admin), "group_id": robotics["id"]}
    )
    assert bare.status_code == 422, bare.text
    assert 'id="conditions-error"' in bare.text
    assert "Name at least one condition: subject area, category" in bare.text
    assert f'<option value="{robotics["id"]}" selected>' in bare.text

    first = {"csrf_token": csrf(admin), "group_id": robotics["id"], "subject_area": "Robotics"}
    created = await admin.post("/admin/routing/new", data={**first, "organization_id": acme})
    assert created.status_code == 303, created.text
    listing = await admin.get(created.headers["location"])
    assert "The rule for Robotics team was created." in listing.text
    assert "Subject area is Robotics and organization is Acme →" in listing.text
    second = {"group_id": printers["id"], "category": "incident", "product": "LaserJet 5"}
    created = await admin.post("/admin/routing/new", data={"csrf_token": csrf(admin), **second})
    assert created.status_code == 303, created.text
    robot_rule, printer_rule = await rule_ids(world)

    listing = await admin.get("/admin/routing")
    assert "Category is Incident and product is LaserJet 5 →" in listing.text
    moved = await admin.post(
        f"/admin/routing/{printer_rule}/move", data={"csrf_token": csrf(admin), "direction": "up"}
    )
    assert moved.status_code == 303, moved.text
    assert "The rule was moved to position 1." in (await admin.get(moved.headers["location"])).text
    assert await rule_ids(world) == [printer_rule, robot_rule]

    # A condition emptied is removed; the rule keeps its place.
    edited = await admin.post(f"/admin/routing/{robot_rule}", data=first)
    assert edited.status_code == 303, edited.text
    rules = (await api(world, "GET", RULES))["items"]
    assert rules[1]["id"] == robot_rule and rules[1]["organization"] is None
    assert rules[1]["subject_area"] == "Robotics"

    asked = await admin.get(f"/admin/routing/{printer_rule}/delete")
    assert asked.status_code == 200 and "Delete routing rule 1?" in asked.text
    deleted = await admin.post(
        f"/admin/routing/{printer_rule}/delete", data={"csrf_token": csrf(admin)}
    )
    assert deleted.status_code == 303
    assert await rule_ids(world) == [robot_rule]


async def keeps_text_modules(world: Portal, admin: httpx.AsyncClient) -> None:
    page = await admin.get("/admin/text-modules/new")
    assert "{{customer.first_name}}" in page.text and "the contact&#39;s first name" in page.text
    form = {
        "csrf_token": csrf(admin),
        "name": "Greeting",
        "language": "en",
        "body": "Hello {{customer.frist_name}},\nwe are on it.",
        "keywords": "hello welcome",
        "set_status": "waiting_customer",
        "set_priority": "",
    }
    refused = await admin.post("/admin/text-modules/new", data=form)
    assert refused.status_code == 422, refused.text
    assert 'id="body-error"' in refused.text
    assert "There is no placeholder {{customer.frist_name}}" in refused.text
    assert "Hello {{customer.frist_name}}," in refused.text  # the text as typed
    assert '<option value="waiting_customer" selected>' in refused.text

    body = "Hello {{customer.first_name}},\nyour ticket {{ticket.number}} is with us."
    saved = await admin.post("/admin/text-modules/new", data={**form, "body": body})
    assert saved.status_code == 303, saved.text
    assert (
        "The text module Greeting was created." in (await admin.get(saved.headers["location"])).text
    )
    (module,) = (await api(world, "GET", MODULES))["items"]
    assert module["body"] == body and module["set_status"] == "waiting_customer"

    found = await admin.get("/admin/text-modules?q=welcome")
    assert f'href="/admin/text-modules/{module["id"]}"' in found.text
    german_only = await admin.get("/admin/text-modules?language=de")
    assert "Greeting" not in german_only.text and "No text module matches." in german_only.text

    ticket = await world.ticket("ben")
    preview = await admin.get(f"/admin/text-modules/{module['id']}?ticket={ticket['number']}")
    assert preview.status_code == 200
    assert f"Hello Ben,\nyour ticket {ticket['number']} is with us." in preview.text
    missing = await admin.get(f"/admin/text-modules/{module['id']}?ticket=T-0")
    assert "There is no ticket T-0." in missing.text

    asked = await admin.get(f"/admin/text-modules/{module['id']}/delete")
    assert "Delete text module Greeting?" in asked.text
    gone = await admin.post(
        f"/admin/text-modules/{module['id']}/delete", data={"csrf_token": csrf(admin)}
    )
    assert gone.status_code == 303
    assert (await api(world, "GET", MODULES))["items"] == []


async def test_admin_keeps_the_desks_groups_rules_and_text_modules(world: Portal) -> None:
    world.ids["rita"] = await world.user("rita", ["agent"], None)
    world.ids["sam"] = await world.user("sam", ["admin"], None)
    await api(
        world,
        "PUT",
        "/api/v1/ticket-taxonomy/Robotics",
        json={"name": "Robotics", "subtypes": [], "active": True},
    )
    await world.settle()  # the tickets service knows the new agents

    async with browser(world, "admin", lang="en") as admin:
        robotics = await keeps_groups(world, admin)
        await keeps_rules(world, admin, robotics)
        await keeps_text_modules(world, admin)

        # Deleting a group names the rules that go with it.
        asked = await admin.get(f"/admin/groups/{robotics['id']}/delete")
        assert "1 routing rule is deleted with it." in asked.text
        gone = await admin.post(
            f"/admin/groups/{robotics['id']}/delete", data={"csrf_token": csrf(admin)}
        )
        assert gone.status_code == 303
        assert (
            "The agent group Robotics team was deleted."
            in (await admin.get(gone.headers["location"])).text
        )
        assert await rule_ids(world) == []

        for path in ("/admin/groups/not-an-id", "/admin/routing/not-an-id/delete"):
            assert (await admin.get(path)).status_code == 404, path
        assert (await admin.get(f"/admin/groups/{robotics['id']}")).status_code == 404


async def test_the_pages_speak_german(world: Portal) -> None:
    async with browser(world, "admin", lang="de") as admin:
        groups = await admin.get("/admin/groups?lang=de")
        assert groups.status_code == 200
        assert "Agentengruppen" in groups.text and "Zuweisung" in groups.text
        assert "Es gibt noch keine Agentengruppe." in groups.text
        routing = await admin.get("/admin/routing")
        assert "Legen Sie zuerst eine Agentengruppe an" in routing.text

        # A loop and an unknown placeholder, each said in German.
        form = {"csrf_token": csrf(admin), "name": "Gruß", "language": "de"}
        loop = await admin.post(
            "/admin/text-modules/new",
            data={**form, "body": "{% for x in [1, 2] %}Hallo{% endfor %}"},
        )
        assert loop.status_code == 422, loop.text
        assert "Eine {% for %}-Schleife ist in einem Textbaustein nicht erlaubt" in loop.text
        unknown = await admin.post(
            "/admin/text-modules/new", data={**form, "body": "Hallo {{kunde.name}}"}
        )
        assert "Den Platzhalter {{kunde.name}} gibt es nicht" in unknown.text
        saved = await admin.post(
            "/admin/text-modules/new", data={**form, "body": "Hallo {{customer.name}}"}
        )
        assert saved.status_code == 303, saved.text
        listing = await admin.get(saved.headers["location"])
        assert "Der Textbaustein Gruß wurde angelegt." in listing.text
        assert "<td>Deutsch</td>" in listing.text


async def test_only_admins_find_the_pages(world: Portal) -> None:
    group = await api(world, "POST", GROUPS, json={"name": "Field service"})
    for username in ("erik", "ben", "anna"):
        async with browser(world, username, lang="en") as someone:
            for path in (*PAGES, f"/admin/groups/{group['id']}"):
                assert (await someone.get(path)).status_code == 404, (username, path)
            posted = await someone.post(
                f"/admin/groups/{group['id']}/delete", data={"csrf_token": csrf(someone)}
            )
            assert posted.status_code == 404, username
    assert (await group_named(world, "Field service"))["id"] == group["id"]
    async with browser(world) as anonymous:
        r = await anonymous.get("/admin/routing")
        assert r.status_code == 303 and r.headers["location"].startswith("/login")
