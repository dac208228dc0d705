"""Agent groups and routing rules: admins keep them, the service desk reads them, and
nobody else finds them. A new ticket goes to the group of the first rule (by position)
whose every condition it matches (subject area, category, organization, product, also
by its asset's product), unless the desk names a group; a round-robin group hands its
tickets to its active members in turn, also when many open at the same moment. On the
ticket the group is the desk's: shown, set, audited and filtered by staff only."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import httpx
import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

GROUPS = "/api/v1/agent-groups"
RULES = "/api/v1/routing-rules"


@pytest.fixture(params=["sqlite", "postgresql"])
def backend_world(request: pytest.FixtureRequest) -> Portal:
    return request.getfixturevalue("sqlite_world" if request.param == "sqlite" else "world")


def codes(r: httpx.Response) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in r.json()["errors"]}


async def agents(world: Portal, *names: str) -> list[str]:
    """More agents beside erik (the directory hears of them before the call returns)."""
    ids = [await world.user(name, ["agent"], None) for name in names]
    world.ids.update(zip(names, ids, strict=True))
    await world.settle()
    return ids


async def group(world: Portal, name: str, **body: Any) -> dict[str, Any]:
    r = await world.client.post(GROUPS, json={"name": name, **body}, headers=await world.admin())
    assert r.status_code == 201, r.text
    return r.json()


async def rule(world: Portal, group_id: str, **conditions: Any) -> dict[str, Any]:
    r = await world.client.post(
        RULES, json={"group_id": group_id, **conditions}, headers=await world.admin()
    )
    assert r.status_code == 201, r.text
    return r.json()


async def area(world: Portal, name: str) -> None:
    r = await world.client.put(
        f"/api/v1/ticket-taxonomy/{name}", json={"name": name}, headers=await world.admin()
    )
    assert r.status_code == 200, r.text


async def show(world: Portal, number: str, user: str = "erik") -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()


async def rule_order(world: Portal) -> list[str]:
    r = await world.client.get(RULES, headers=await world.as_("erik"))
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert [i["position"] for i in items] == list(range(1, len(items) + 1))
    return [i["id"] for i in items]


# --- groups ---------------------------------------------------------------------------


async def test_admins_keep_groups_with_checked_names_leads_and_members(world: Portal) -> None:
    [fred] = await agents(world, "fred")
    erik, admin = world.ids["erik"], await world.admin()
    made = await group(world, "Software", lead_id=erik, member_ids=[fred, erik, fred])
    assert made["lead"] == {"id": erik, "name": "Erik"}
    # Order kept, a repeated member counted once; names from the directory.
    assert [(m["id"], m["name"], m["active"]) for m in made["members"]] == [
        (fred, "Fred", True),
        (erik, "Erik", True),
    ]
    assert made["round_robin"] is False

    taken = await world.client.post(GROUPS, json={"name": "software"}, headers=admin)
    assert taken.status_code == 422 and codes(taken) == {("name", "name_taken")}
    wrong = await world.client.post(
        GROUPS,
        json={
            "name": "Machines",
            "lead_id": world.ids["ben"],
            "member_ids": [erik, world.ids["anna"]],
        },
        headers=admin,
    )
    assert wrong.status_code == 422
    assert codes(wrong) == {("lead_id", "unknown_agent"), ("member_ids.1", "unknown_agent")}

    path = f"{GROUPS}/{made['id']}"
    r = await world.client.patch(
        path, json={"name": "Software & Apps", "lead_id": None, "round_robin": True}, headers=admin
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert (changed["name"], changed["lead"], changed["round_robin"]) == (
        "Software & Apps",
        None,
        True,
    )
    assert [m["id"] for m in changed["members"]] == [fred, erik]  # untouched
    await group(world, "Machines")
    taken = await world.client.patch(path, json={"name": "MACHINES"}, headers=admin)
    assert taken.status_code == 422 and codes(taken) == {("name", "name_taken")}

    # The service desk reads; only admins write.
    erik_h = await world.as_("erik")
    listed = await world.client.get(GROUPS, headers=erik_h)
    assert [g["name"] for g in listed.json()["items"]] == ["Machines", "Software & Apps"]
    assert (await world.client.get(path, headers=erik_h)).json()["name"] == "Software & Apps"
    assert (await world.client.post(GROUPS, json={"name": "X"}, headers=erik_h)).status_code == 404
    assert (await world.client.patch(path, json={"name": "X"}, headers=erik_h)).status_code == 404
    assert (await world.client.delete(path, headers=erik_h)).status_code == 404
    missing = await world.client.get(
        f"{GROUPS}/00000000-0000-0000-0000-000000000000", headers=admin
    )
    assert missing.status_code == 404


async def test_customers_find_no_group_routes(world: Portal) -> None:
    made = await group(world, "Software")
    made_rule = await rule(world, made["id"], category="question")
    for user in ("ben", "anna"):
        headers = await world.as_(user)
        for method, path, body in (
            ("GET", GROUPS, None),
            ("GET", f"{GROUPS}/{made['id']}", None),
            ("POST", GROUPS, {"name": "Mine"}),
            ("PATCH", f"{GROUPS}/{made['id']}", {"name": "Mine"}),
            ("DELETE", f"{GROUPS}/{made['id']}", None),
            ("GET", RULES, None),
            ("POST", RULES, {"group_id": made["id"], "category": "incident"}),
            ("PUT", f"{RULES}/order", {"ids": [made_rule["id"]]}),
            ("PATCH", f"{RULES}/{made_rule['id']}", {"category": "incident"}),
            ("DELETE", f"{RULES}/{made_rule['id']}", None),
        ):
            r = await world.client.request(method, path, json=body, headers=headers)
            assert r.status_code == 404, (user, method, path, r.status_code)


async def test_deleting_a_group_keeps_its_tickets_and_drops_its_rules(world: Portal) -> None:
    doomed, other = await group(world, "Robotics"), await group(world, "Software")
    await rule(world, doomed["id"], category="incident")
    kept = await rule(world, other["id"], category="question")
    ticket = await world.ticket("ben", category="incident")
    assert (await show(world, ticket["number"]))["group"]["id"] == doomed["id"]

    admin = await world.admin()
    assert (await world.client.delete(f"{GROUPS}/{doomed['id']}", headers=admin)).status_code == 204
    assert (await world.client.get(f"{GROUPS}/{doomed['id']}", headers=admin)).status_code == 404
    after = await show(world, ticket["number"])
    assert after["group"] is None and after["title"] == ticket["title"]
    assert await rule_order(world) == [kept["id"]]
    # The ticket goes on: the desk answers it and gives it another group.
    r = await world.client.patch(
        f"/api/v1/tickets/{ticket['number']}",
        json={"status": "open", "group_id": other["id"]},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200 and r.json()["group"]["name"] == "Software"


# --- routing rules --------------------------------------------------------------------


async def test_rules_need_a_condition_and_a_group_and_keep_their_order(world: Portal) -> None:
    admin = await world.admin()
    software = await group(world, "Software")
    for body, expected in (
        ({"group_id": software["id"]}, {("conditions", "no_condition")}),
        ({"group_id": software["id"], "product": "  "}, {("conditions", "no_condition")}),
        (
            {"group_id": "00000000-0000-0000-0000-000000000000", "category": "incident"},
            {("group_id", "unknown_group")},
        ),
        (
            {"group_id": software["id"], "organization_id": world.ids["ben"]},
            {("organization_id", "unknown_organization")},
        ),
    ):
        r = await world.client.post(RULES, json=body, headers=admin)
        assert r.status_code == 422 and codes(r) == expected, (body, r.text)

    first = await rule(world, software["id"], subject_area="Robotics")
    second = await rule(world, software["id"], organization_id=world.orgs["acme"])
    assert second["organization"] == {"id": world.orgs["acme"], "name": "Acme"}
    assert second["group"] == {"id": software["id"], "name": "Software"}
    top = await rule(world, software["id"], product="Arm", position=1)
    assert await rule_order(world) == [top["id"], first["id"], second["id"]]

    # Reordered as a whole, or one rule moved.
    ids = [second["id"], top["id"], first["id"]]
    r = await world.client.put(f"{RULES}/order", json={"ids": ids}, headers=admin)
    assert r.status_code == 200 and [i["id"] for i in r.json()["items"]] == ids
    for wrong in (ids[:2], [*ids, ids[0]]):
        r = await world.client.put(f"{RULES}/order", json={"ids": wrong}, headers=admin)
        assert r.status_code == 422 and codes(r) == {("ids", "order_mismatch")}
    r = await world.client.patch(f"{RULES}/{first['id']}", json={"position": 1}, headers=admin)
    assert r.status_code == 200 and r.json()["position"] == 1
    assert await rule_order(world) == [first["id"], second["id"], top["id"]]

    # A change may not leave a rule without conditions.
    r = await world.client.patch(
        f"{RULES}/{first['id']}", json={"subject_area": None}, headers=admin
    )
    assert r.status_code == 422 and codes(r) == {("conditions", "no_condition")}
    r = await world.client.patch(
        f"{RULES}/{first['id']}", json={"subject_area": None, "category": "question"}, headers=admin
    )
    assert r.status_code == 200
    assert (r.json()["subject_area"], r.json()["category"]) == (None, "question")

    assert (await world.client.delete(f"{RULES}/{second['id']}", headers=admin)).status_code == 204
    assert await rule_order(world) == [first["id"], top["id"]]
    erik = await world.as_("erik")
    refused = await world.client.post(
        RULES, json={"group_id": software["id"], "category": "incident"}, headers=erik
    )
    assert refused.status_code == 404


async def test_the_first_matching_rule_by_position_routes(world: Portal) -> None:
    await area(world, "Robotics")
    acme_robotics, robotics = await group(world, "Acme robots"), await group(world, "Robotics")
    general = await rule(world, robotics["id"], subject_area="robotics")  # any case
    special = await rule(
        world, acme_robotics["id"], subject_area="Robotics", organization_id=world.orgs["acme"]
    )
    # `general` comes first and matches both.
    ben = await world.ticket("ben", subject_area="Robotics")
    carla = await world.ticket("carla", subject_area="Robotics")
    assert (await show(world, ben["number"]))["group"]["name"] == "Robotics"
    assert (await show(world, carla["number"]))["group"]["name"] == "Robotics"
    # Put first, the organization's rule takes Acme's tickets; Globex's fall through.
    r = await world.client.put(
        f"{RULES}/order", json={"ids": [special["id"], general["id"]]}, headers=await world.admin()
    )
    assert r.status_code == 200
    ben = await world.ticket("ben", subject_area="Robotics")
    carla = await world.ticket("carla", subject_area="Robotics")
    assert (await show(world, ben["number"]))["group"]["name"] == "Acme robots"
    assert (await show(world, carla["number"]))["group"]["name"] == "Robotics"
    # Every condition must hold: no subject area, no match.
    plain = await world.ticket("ben")
    assert (await show(world, plain["number"]))["group"] is None


async def test_routing_by_category_organization_and_asset_product(world: Portal) -> None:
    admin = await world.admin()
    machines, questions, globex = (
        await group(world, "Machines"),
        await group(world, "Questions"),
        await group(world, "Globex desk"),
    )
    await rule(world, machines["id"], product="press 3000")
    await rule(world, questions["id"], category="question")
    await rule(world, globex["id"], organization_id=world.orgs["globex"])
    r = await world.client.post(
        "/api/v1/assets",
        json={
            "organization_id": world.orgs["acme"],
            "name": "Hall 2 press",
            "serial_number": "P-3000-17",
            "product": "Press 3000",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    by_asset = await world.ticket("ben", asset_id="P-3000-17")
    by_product = await world.ticket("anna", product="PRESS 3000")
    question = await world.ticket("ben", category="question")
    other = await world.ticket("carla")
    nothing = await world.ticket("ben", product="Lathe")
    found = {
        name: (await show(world, t["number"]))["group"]
        for name, t in (
            ("asset", by_asset),
            ("product", by_product),
            ("question", question),
            ("globex", other),
            ("nothing", nothing),
        )
    }
    assert {k: v["name"] if v else None for k, v in found.items()} == {
        "asset": "Machines",
        "product": "Machines",
        "question": "Questions",
        "globex": "Globex desk",
        "nothing": None,
    }


async def test_the_desk_names_a_group_and_no_rule_is_tried(world: Portal) -> None:
    routed, chosen = await group(world, "Routed"), await group(world, "Chosen")
    await rule(world, routed["id"], category="incident")
    erik = await world.as_("erik")
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Call", "contact_id": world.ids["ben"], "group_id": chosen["id"]},
        headers=erik,
    )
    assert r.status_code == 201, r.text
    assert r.json()["group"] == {"id": chosen["id"], "name": "Chosen"}
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Call", "group_id": "00000000-0000-0000-0000-000000000000"},
        headers=erik,
    )
    assert r.status_code == 422 and codes(r) == {("group_id", "unknown_group")}


# --- round robin ----------------------------------------------------------------------


async def test_round_robin_skips_an_inactive_member(backend_world: Portal) -> None:
    world = backend_world
    fred, gina, hugo = await agents(world, "fred", "gina", "hugo")
    made = await group(world, "Robotics", member_ids=[fred, gina, hugo], round_robin=True)
    await rule(world, made["id"], category="incident")
    first = [await world.ticket("ben") for _ in range(3)]
    assert [t["assignee"]["id"] for t in first] == [fred, gina, hugo]
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert created["assignee_id"] == hugo  # the creation carries the assignment

    r = await world.client.patch(
        f"/api/v1/admin/users/{gina}", json={"active": False}, headers=await world.admin()
    )
    assert r.status_code == 200, r.text
    await world.settle()
    later = [await world.ticket("ben") for _ in range(4)]
    assert {t["assignee"]["id"] for t in later} == {fred, hugo}
    assert Counter(t["assignee"]["id"] for t in later) == Counter({fred: 2, hugo: 2})
    shown = await world.client.get(f"{GROUPS}/{made['id']}", headers=await world.admin())
    assert [m["active"] for m in shown.json()["members"]] == [True, False, True]
    # A ticket no rule sends to the group gets neither group nor assignee.
    question = await world.ticket("ben", category="question")
    assert question["assignee"] is None and question["group"] is None


async def test_tickets_opened_at_once_go_round_evenly(backend_world: Portal) -> None:
    """Nine tickets opened at the same moment into a round robin of three: three each
    (the count is advanced in the database, one UPDATE per ticket)."""
    world = backend_world
    members = await agents(world, "fred", "gina", "hugo")
    made = await group(world, "Robotics", member_ids=members, round_robin=True)
    await rule(world, made["id"], organization_id=world.orgs["acme"])
    ben = await world.as_("ben")
    responses = await asyncio.gather(
        *(
            world.client.post("/api/v1/tickets", json={"title": f"Down {i}"}, headers=ben)
            for i in range(9)
        )
    )
    assert [r.status_code for r in responses] == [201] * 9, [r.text for r in responses]
    numbers = [r.json()["number"] for r in responses]
    shown = [await show(world, n) for n in numbers]
    assert Counter(t["assignee"]["id"] for t in shown) == Counter({m: 3 for m in members})
    assert {t["group"]["id"] for t in shown} == {made["id"]}


# --- the group on the ticket ----------------------------------------------------------


async def test_the_desk_sets_audits_and_filters_by_group(world: Portal) -> None:
    software, machines = await group(world, "Software"), await group(world, "Machines")
    one, two = await world.ticket("ben"), await world.ticket("ben")
    erik = await world.as_("erik")
    r = await world.client.patch(
        f"/api/v1/tickets/{one['number']}", json={"group_id": software["id"]}, headers=erik
    )
    assert r.status_code == 200 and r.json()["group"] == {"id": software["id"], "name": "Software"}
    updated = (await world.events("tickets.ticket.updated"))[-1]["data"]
    assert updated["changes"] == {"group_id": [None, software["id"]]}
    r = await world.client.patch(
        f"/api/v1/tickets/{one['number']}", json={"group_id": machines["id"]}, headers=erik
    )
    updated = (await world.events("tickets.ticket.updated"))[-1]["data"]
    assert updated["changes"] == {"group_id": [software["id"], machines["id"]]}
    r = await world.client.patch(
        f"/api/v1/tickets/{two['number']}",
        json={"group_id": "00000000-0000-0000-0000-000000000000"},
        headers=erik,
    )
    assert r.status_code == 422 and codes(r) == {("group_id", "unknown_group")}

    async def listed(user: str, **params: str) -> set[str]:
        r = await world.client.get("/api/v1/tickets", params=params, headers=await world.as_(user))
        assert r.status_code == 200, r.text
        return {t["number"] for t in r.json()["items"]}

    assert await listed("erik", group_id=machines["id"]) == {one["number"]}
    assert await listed("erik", group_id=software["id"]) == set()
    assert two["number"] in await listed("erik", group_id="none")
    assert one["number"] not in await listed("erik", group_id="none")
    bad = await world.client.get("/api/v1/tickets", params={"group_id": "x"}, headers=erik)
    assert bad.status_code == 422
    # Customers: the filter is ignored.
    assert await listed("ben", group_id=machines["id"]) == {one["number"], two["number"]}


async def test_customers_see_no_group_and_cannot_set_one(world: Portal) -> None:
    made = await group(world, "Software")
    await rule(world, made["id"], category="incident")
    ticket = await world.ticket("ben")
    assert ticket["group"] is None  # the routed group stays the desk's
    assert (await show(world, ticket["number"], "ben"))["group"] is None
    assert (await show(world, ticket["number"], "anna"))["group"] is None
    assert (await show(world, ticket["number"], "erik"))["group"]["id"] == made["id"]
    ben = await world.as_("ben")
    listed = await world.client.get("/api/v1/tickets", headers=ben)
    assert all(t["group"] is None for t in listed.json()["items"])
    for value in (made["id"], None):
        r = await world.client.patch(
            f"/api/v1/tickets/{ticket['number']}", json={"group_id": value}, headers=ben
        )
        assert r.status_code == 422 and codes(r) == {("group_id", "staff_only")}
    r = await world.client.post(
        "/api/v1/tickets", json={"title": "Mine", "group_id": made["id"]}, headers=ben
    )
    assert r.status_code == 422 and codes(r) == {("group_id", "staff_only")}
    assert (await show(world, ticket["number"], "erik"))["group"]["id"] == made["id"]
