"""Assets: the customer's installed base, who sees and maintains it, searching it, and
tickets referring to an asset."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def new_asset(world: Portal, org: str = "acme", **fields: Any) -> dict[str, Any]:
    body = {"organization_id": world.orgs[org], "name": "Press", **fields}
    body.setdefault("serial_number", f"SN-{uuid.uuid4().hex[:8]}")
    r = await world.client.post("/api/v1/assets", json=body, headers=await world.admin())
    assert r.status_code == 201, r.text
    return dict(r.json())


async def listed(world: Portal, user: str, query: str = "") -> list[str]:
    r = await world.client.get(f"/api/v1/assets?{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [a["serial_number"] for a in r.json()["items"]]


def codes(response: Any) -> list[tuple[str, str]]:
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


async def test_admins_create_and_change_assets(world: Portal) -> None:
    admin = await world.admin()
    press = await new_asset(
        world,
        name="Hydraulic press 2",
        serial_number="HP-200-17",
        product="HP-200",
        location="Hall 3",
        installed_on="2024-05-31",
        attributes={"Baujahr": "2019"},
    )
    assert press["organization_id"] == world.orgs["acme"] and press["status"] == "active"
    assert press["installed_on"] == "2024-05-31" and press["attributes"] == {"Baujahr": "2019"}
    path = f"/api/v1/assets/{press['id']}"

    again = {"organization_id": world.orgs["acme"], "name": "x", "serial_number": "HP-200-17"}
    taken = await world.client.post("/api/v1/assets", json=again, headers=admin)
    assert taken.status_code == 422 and codes(taken) == [("serial_number", "duplicate_serial")]
    # The same serial number in another organization is another machine.
    await new_asset(world, "globex", serial_number="HP-200-17")
    nowhere = {**again, "organization_id": str(uuid.uuid4())}
    unknown = await world.client.post("/api/v1/assets", json=nowhere, headers=admin)
    assert codes(unknown) == [("organization_id", "unknown_organization")]
    no_contract = {**again, "serial_number": "N-1", "contract_id": str(uuid.uuid4())}
    unknown = await world.client.post("/api/v1/assets", json=no_contract, headers=admin)
    assert codes(unknown) == [("contract_id", "unknown_contract")]

    changed = await world.client.patch(
        path,
        json={"status": "retired", "location": None, "attributes": {"Farbe": "rot"}},
        headers=admin,
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["status"], body["location"], body["attributes"]) == (
        "retired",
        None,
        {"Farbe": "rot"},
    )
    assert body["name"] == "Hydraulic press 2" and body["updated_at"] > press["updated_at"]
    other = await new_asset(world)
    clash = await world.client.patch(
        path, json={"serial_number": other["serial_number"]}, headers=admin
    )
    assert codes(clash) == [("serial_number", "duplicate_serial")]
    emptied = await world.client.patch(path, json={"name": None}, headers=admin)
    assert codes(emptied) == [("name", "required")]
    assert (await world.client.get(path, headers=admin)).json()["serial_number"] == "HP-200-17"

    # Customer admins and agents read the installed base; only administrators write it.
    for user in ("anna", "ben", "erik"):
        headers = await world.as_(user)
        assert (await world.client.get(path, headers=headers)).status_code == 200
        refused = await world.client.post(
            "/api/v1/assets", json={**again, "serial_number": "N"}, headers=headers
        )
        assert refused.status_code == 404, (user, refused.text)
        assert (
            await world.client.patch(path, json={"name": "y"}, headers=headers)
        ).status_code == 404


async def test_another_organizations_asset_does_not_exist(world: Portal) -> None:
    secret = await new_asset(world, name="Secret prototype", serial_number="PROTO-1")
    carla = await world.as_("carla")
    missing = await world.client.get(f"/api/v1/assets/{uuid.uuid4()}", headers=carla)
    for path in (f"/api/v1/assets/{secret['id']}", f"/api/v1/assets/{secret['id']}/tickets"):
        r = await world.client.get(path, headers=carla)
        assert r.status_code == 404 and r.json()["title"] == missing.json()["title"]
        assert "Secret" not in r.text and "PROTO" not in r.text
    assert await listed(world, "carla") == []
    assert await listed(world, "carla", "q=proto") == []
    assert await listed(world, "carla", f"organization_id={world.orgs['acme']}") == []
    # Tickets cannot name it either: to Globex it is an unknown asset.
    for reference in (secret["id"], "PROTO-1"):
        r = await world.client.post(
            "/api/v1/tickets", json={"title": "t", "asset_id": reference}, headers=carla
        )
        assert r.status_code == 422 and codes(r) == [("asset_id", "unknown_asset")]


async def test_list_search_filters_and_cursor(world: Portal) -> None:
    await new_asset(world, name="Förderband Halle 3", serial_number="FB-1001", location="Halle 3")
    await new_asset(
        world, name="Roboterzelle", serial_number="RZ-3", product="RX-200 Schweißroboter"
    )
    await new_asset(world, name="Kompressor", serial_number="KP-100%", status="inactive")
    await new_asset(world, "globex", name="Globex press", serial_number="GX-1")

    assert sorted(await listed(world, "ben")) == ["FB-1001", "KP-100%", "RZ-3"]
    assert await listed(world, "carla") == ["GX-1"]
    assert sorted(await listed(world, "erik")) == ["FB-1001", "GX-1", "KP-100%", "RZ-3"]
    assert await listed(world, "erik", f"organization_id={world.orgs['globex']}") == ["GX-1"]
    assert await listed(world, "ben", "status=inactive") == ["KP-100%"]
    assert sorted(await listed(world, "ben", "status=active&status=inactive")) == [
        "FB-1001",
        "KP-100%",
        "RZ-3",
    ]

    # Any case (also beyond ASCII), the start of a serial number, several words.
    assert await listed(world, "ben", "q=FÖRDERBAND") == ["FB-1001"]
    assert await listed(world, "ben", "q=fb-10") == ["FB-1001"]
    assert await listed(world, "ben", "q=schweiß") == ["RZ-3"]
    assert await listed(world, "ben", "q=halle%203") == ["FB-1001"]
    assert await listed(world, "ben", "q=halle%20roboter") == []
    # Wildcards are text like any other.
    assert await listed(world, "ben", "q=100%25") == ["KP-100%"]
    assert await listed(world, "ben", "q=_") == []

    # Page by page in name order, each asset once.
    seen: list[str] = []
    query = "limit=2"
    while True:
        r = await world.client.get(f"/api/v1/assets?{query}", headers=await world.as_("erik"))
        page = r.json()
        seen += [a["name"] for a in page["items"]]
        if page["next_cursor"] is None:
            break
        query = f"limit=2&cursor={page['next_cursor']}"
    assert seen == sorted(seen) and len(seen) == 4
    bad = await world.client.get("/api/v1/assets?cursor=nonsense", headers=await world.as_("erik"))
    assert bad.status_code == 422 and codes(bad) == [("cursor", "cursor")]


async def test_tickets_name_their_asset_by_id_or_serial(world: Portal) -> None:
    press = await new_asset(
        world, name="Press 7", serial_number="PRESS-7", product="HP-200", location="Hall 3"
    )
    belt = await new_asset(world, name="Belt", serial_number="BELT-1")
    glob = await new_asset(world, "globex", serial_number="GLOBEX-ONLY")
    summary = {k: press[k] for k in ("id", "name", "serial_number", "product", "location")}

    by_serial = await world.ticket("ben", asset_id="PRESS-7")
    by_id = await world.ticket("ben", asset_id=press["id"])
    for ticket in (by_serial, by_id):
        assert ticket["asset_id"] == press["id"] and ticket["asset"] == summary
    assert (await world.ticket("ben"))["asset"] is None
    for reference in ("NO-SUCH", glob["id"], "GLOBEX-ONLY", str(uuid.uuid4())):
        r = await world.client.post(
            "/api/v1/tickets",
            json={"title": "t", "asset_id": reference},
            headers=await world.as_("ben"),
        )
        assert r.status_code == 422 and codes(r) == [("asset_id", "unknown_asset")], reference
    # The service desk opening a ticket for a customer names that customer's asset.
    erik = await world.as_("erik")
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Call", "contact_id": world.ids["anna"], "asset_id": "BELT-1"},
        headers=erik,
    )
    assert r.status_code == 201 and r.json()["asset"]["id"] == belt["id"], r.text
    on_belt = r.json()["number"]

    # The list filters by asset and shows each ticket's asset.
    listing = await world.client.get(f"/api/v1/tickets?asset_id={press['id']}", headers=erik)
    items = listing.json()["items"]
    assert {t["number"] for t in items} == {by_serial["number"], by_id["number"]}
    assert all(t["asset"] == summary for t in items)
    counted = await world.client.get(f"/api/v1/tickets/summary?asset_id={belt['id']}", headers=erik)
    assert counted.json()["total"] == 1

    # Afterwards only the service desk changes a ticket's asset.
    path = f"/api/v1/tickets/{by_serial['number']}"
    ben_try = await world.client.patch(
        path, json={"asset_id": "BELT-1"}, headers=await world.as_("ben")
    )
    assert ben_try.status_code == 422 and codes(ben_try) == [("asset_id", "staff_only")]
    moved = await world.client.patch(path, json={"asset_id": "BELT-1"}, headers=erik)
    assert moved.status_code == 200 and moved.json()["asset"]["serial_number"] == "BELT-1"
    wrong = await world.client.patch(path, json={"asset_id": "GLOBEX-ONLY"}, headers=erik)
    assert codes(wrong) == [("asset_id", "unknown_asset")]
    removed = await world.client.patch(path, json={"asset_id": None}, headers=erik)
    assert removed.json()["asset_id"] is None and removed.json()["asset"] is None
    onto_belt = await world.client.get(f"/api/v1/tickets?asset_id={belt['id']}", headers=erik)
    assert [t["number"] for t in onto_belt.json()["items"]] == [on_belt]


async def test_an_assets_tickets_as_far_as_the_caller_sees_them(world: Portal) -> None:
    # Globex has no organization-wide visibility: its people see their own tickets only.
    line = await new_asset(world, "globex", name="Line 1", serial_number="L-1")
    carlas = await world.ticket("carla", asset_id="L-1")
    dans = await world.ticket("dan", asset_id="L-1")
    closed = await world.ticket("carla", asset_id="L-1")
    await world.ticket("carla")
    carla = await world.as_("carla")
    r = await world.client.post(f"/api/v1/tickets/{closed['number']}/close", headers=carla)
    assert r.status_code == 200, r.text

    async def numbers(user: str, query: str = "") -> list[str]:
        r = await world.client.get(
            f"/api/v1/assets/{line['id']}/tickets?{query}", headers=await world.as_(user)
        )
        assert r.status_code == 200, r.text
        return [t["number"] for t in r.json()["items"]]

    assert await numbers("carla") == [closed["number"], carlas["number"]]  # newest first
    assert await numbers("dan") == [dans["number"]]
    assert await numbers("erik") == [closed["number"], dans["number"], carlas["number"]]
    r = await world.client.get(
        f"/api/v1/assets/{line['id']}/tickets", headers=await world.as_("ben")
    )
    assert r.status_code == 404

    first = await world.client.get(
        f"/api/v1/assets/{line['id']}/tickets?limit=2", headers=await world.as_("erik")
    )
    cursor = first.json()["next_cursor"]
    assert cursor and [t["asset"]["serial_number"] for t in first.json()["items"]] == ["L-1", "L-1"]
    assert await numbers("erik", f"limit=2&cursor={cursor}") == [carlas["number"]]
