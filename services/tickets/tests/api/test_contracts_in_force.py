"""The contract in force: chosen by date, asset and product; the default terms without
one; the priorities a customer may choose follow it; and identity's organization
follows the contract in force (and the contract follows an admin's change there)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from portal_harness import Portal
from sqlalchemy import update

from portal_tickets.contracts.models import Contract
from portal_tickets.contracts.tasks import announce_contracts_in_force

pytestmark = pytest.mark.integration

CONTRACTS = "/api/v1/contracts"
TODAY = date.today()
ALL = ["P1", "P2", "P3", "P4"]


def targets(p1: float = 4) -> dict[str, Any]:
    hours = {"P1": p1, "P2": 8, "P3": 24, "P4": 40}
    return {p: {"reaction_hours": h, "resolution_hours": 4 * h} for p, h in hours.items()}


async def as_admin(world: Portal, method: str, path: str, body: Any = None) -> httpx.Response:
    return await world.client.request(method, path, json=body, headers=await world.admin())


async def standard(world: Portal) -> dict[str, Any]:
    r = await as_admin(world, "GET", "/api/v1/business-calendars")
    [found] = [c for c in r.json()["items"] if c["is_default"]]
    return found


async def new_contract(world: Portal, org: str, **fields: Any) -> dict[str, Any]:
    body = {
        "organization_id": world.orgs[org],
        "name": "Premium",
        "valid_from": day(-30),
        "calendar_id": (await standard(world))["id"],
        "targets": targets(),
        **fields,
    }
    r = await as_admin(world, "POST", CONTRACTS, body)
    assert r.status_code == 201, r.text
    return r.json()


def day(offset: int) -> str:
    return str(TODAY + timedelta(days=offset))


async def in_force(world: Portal, user: str, **query: str) -> dict[str, Any]:
    headers = await world.admin() if user == "admin" else await world.as_(user)
    r = await world.client.get(f"{CONTRACTS}/in-force", params=query, headers=headers)
    assert r.status_code == 200, r.text
    return r.json()


async def new_asset(world: Portal, org: str, **fields: Any) -> dict[str, Any]:
    body = {"organization_id": world.orgs[org], "name": "Press", **fields}
    body.setdefault("serial_number", f"SN-{uuid.uuid4().hex[:8]}")
    r = await as_admin(world, "POST", "/api/v1/assets", body)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def asset(world: Portal, asset_id: str) -> dict[str, Any]:
    r = await as_admin(world, "GET", f"/api/v1/assets/{asset_id}")
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_the_asset_beats_the_product_beats_the_rest_and_dates_count(world: Portal) -> None:
    acme = world.orgs["acme"]
    floor_asset = (await new_asset(world, "acme"))["id"]
    await new_contract(world, "acme", name="Old", valid_from=day(-400))
    basic = await new_contract(world, "acme", name="Basic", valid_from=day(-100))
    await new_contract(world, "acme", name="Ended", valid_from=day(-20), valid_until=day(-1))
    await new_contract(world, "acme", name="Next year", valid_from=day(300))
    printers = await new_contract(
        world, "acme", name="Printers", products=["LaserJet 9"], targets=targets(2)
    )
    floor = await new_contract(
        world, "acme", name="Floor 2", asset_ids=[floor_asset], targets=targets(1)
    )
    cases = [
        ({}, basic),
        ({"product": "LaserJet 9"}, printers),
        ({"product": "Scanner"}, basic),
        ({"product": "LaserJet 9", "asset_id": floor_asset}, floor),
        ({"asset_id": floor_asset}, floor),
        ({"product": "LaserJet 9", "asset_id": str(uuid.uuid4())}, printers),
    ]
    for query, expected in cases:
        shown = await in_force(world, "ben", **query)
        assert shown["contract"]["id"] == expected["id"], (query, shown["contract"]["name"])
        assert shown["targets"] == expected["targets"]
        assert shown["calendar"]["name"] == "Standard"
        staff = await in_force(world, "erik", organization_id=acme, **query)
        assert staff["contract"]["id"] == expected["id"]


async def test_of_two_contracts_covering_everything_the_later_one_counts(world: Portal) -> None:
    await new_contract(world, "acme", name="A", valid_from=day(-10))
    later = await new_contract(world, "acme", name="B", valid_from=day(-5))
    await new_contract(world, "acme", name="C", valid_from=day(-50))
    assert (await in_force(world, "anna"))["contract"]["id"] == later["id"]


async def test_without_a_contract_the_default_terms_apply(world: Portal) -> None:
    globex = await in_force(world, "carla")
    assert globex["contract"] is None
    assert globex["calendar"]["id"] == (await standard(world))["id"]
    # One business day of the Standard calendar is 9 hours; resolution: 4x reaction.
    assert globex["targets"] == {
        "P1": {"reaction_hours": 4.0, "resolution_hours": 16.0},
        "P2": {"reaction_hours": 9.0, "resolution_hours": 36.0},
        "P3": {"reaction_hours": 27.0, "resolution_hours": 108.0},
        "P4": {"reaction_hours": 45.0, "resolution_hours": 180.0},
    }
    assert globex["priorities_selectable"] is False  # Globex's own flag
    assert (await in_force(world, "ben"))["priorities_selectable"] is True  # Acme's
    # The vendor's own tickets (no organization) take any priority.
    assert (await in_force(world, "erik"))["priorities_selectable"] is True
    unknown = await world.client.get(
        f"{CONTRACTS}/in-force?organization_id={uuid.uuid4()}", headers=await world.as_("erik")
    )
    assert unknown.status_code == 404


async def test_the_priorities_a_customer_may_choose_follow_the_contract(world: Portal) -> None:
    carla = await world.as_("carla")
    await new_contract(world, "globex", name="Basic", priorities_selectable=False)
    await new_contract(
        world, "globex", name="Printers", products=["LaserJet 9"], priorities_selectable=True
    )
    r = await world.client.get("/api/v1/tickets/priorities", headers=carla)
    assert r.json()["items"] == ["P4"]
    printer = await world.ticket("carla", priority="P1", product="LaserJet 9")
    other = await world.ticket("carla", priority="P1", product="Scanner")
    assert (printer["priority"], other["priority"]) == ("P1", "P4")
    r = await world.client.patch(
        f"/api/v1/tickets/{other['number']}", json={"priority": "P2"}, headers=carla
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "no_priority_contract"
    r = await world.client.patch(
        f"/api/v1/tickets/{printer['number']}", json={"priority": "P2"}, headers=carla
    )
    assert r.status_code == 200 and r.json()["priority"] == "P2"
    # Acme has a priority contract in identity, but its contract in force says no.
    await new_contract(world, "acme", name="Economy", priorities_selectable=False)
    r = await world.client.get("/api/v1/tickets/priorities", headers=await world.as_("ben"))
    assert r.json()["items"] == ["P4"]
    assert (await world.ticket("ben", priority="P1"))["priority"] == "P4"


async def organization(world: Portal, org: str) -> dict[str, Any]:
    r = await world.client.get(
        f"/api/v1/admin/organizations/{world.orgs[org]}", headers=await world.admin()
    )
    assert r.status_code == 200, r.text
    return r.json()


async def test_identity_follows_the_contract_in_force_and_back_without_echo(
    world: Portal,
) -> None:
    globex = world.orgs["globex"]
    gold = await new_contract(world, "globex", name="Gold", priorities_selectable=True)
    await new_contract(world, "globex", name="Later", valid_from=day(30))
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (True, "Gold")
    r = await world.client.get("/api/v1/tickets/priorities", headers=await world.as_("carla"))
    assert r.json()["items"] == ALL

    # An admin takes the priority contract away in the organization's settings.
    updates = len(await world.events("identity.organization.updated", "identity"))
    r = await world.client.patch(
        f"/api/v1/admin/organizations/{globex}",
        json={"priority_contract": False},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    await world.settle()
    await world.settle()
    contract = await as_admin(world, "GET", f"{CONTRACTS}/{gold['id']}")
    assert contract.json()["priorities_selectable"] is False
    told = [e["data"] for e in await world.events("tickets.contract.changed")]
    assert told[-1]["contract_id"] == gold["id"] and told[-1]["in_force"] is True
    # Identity found the organization as the contract says: no further update, no loop.
    assert len(await world.events("identity.organization.updated", "identity")) == updates + 1
    assert (await organization(world, "globex"))["priority_contract"] is False

    # A name change in identity leaves the contract's flag alone.
    await world.client.patch(
        f"/api/v1/admin/organizations/{globex}",
        json={"name": "Globex Corp"},
        headers=await world.admin(),
    )
    await world.settle()
    assert len(await world.events("tickets.contract.changed")) == len(told)


async def test_deleting_the_contract_in_force_hands_over_to_the_next(world: Portal) -> None:
    current = await new_contract(world, "globex", name="Gold", priorities_selectable=True)
    older = await new_contract(
        world,
        "globex",
        name="Silver",
        valid_from=str(date(2020, 1, 1)),
        priorities_selectable=False,
    )
    await world.settle()
    assert (await organization(world, "globex"))["sla_contract"] == "Gold"
    assert (await as_admin(world, "DELETE", f"{CONTRACTS}/{current['id']}")).status_code == 204
    told = [e["data"] for e in await world.events("tickets.contract.changed")]
    assert [(e["name"], e["in_force"]) for e in told[-2:]] == [("Gold", False), ("Silver", True)]
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (False, "Silver")
    assert (await in_force(world, "carla"))["contract"]["id"] == older["id"]


async def test_a_contract_that_begins_later_reaches_identity_on_its_first_day(
    world: Portal,
) -> None:
    gold = await new_contract(
        world, "globex", name="Gold", valid_from=day(2), priorities_selectable=True
    )
    await world.settle()
    assert (await organization(world, "globex"))["sla_contract"] is None
    # Two days later, as far as the contract is concerned.
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Contract).where(Contract.id == uuid.UUID(gold["id"])).values(valid_from=TODAY)
        )
        await s.commit()
    assert await announce_contracts_in_force.fn(world.tickets) == 1
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (True, "Gold")
    # Told once: the organization now says what the contract says.
    assert await announce_contracts_in_force.fn(world.tickets) == 0


async def priorities(world: Portal, user: str) -> list[str]:
    r = await world.client.get("/api/v1/tickets/priorities", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    items: list[str] = r.json()["items"]
    return items


async def test_deleting_the_last_contract_returns_identity_to_the_standard_terms(
    world: Portal,
) -> None:
    gold = await new_contract(world, "globex", name="Gold", priorities_selectable=True)
    await world.settle()
    assert await priorities(world, "carla") == ALL
    assert (await as_admin(world, "DELETE", f"{CONTRACTS}/{gold['id']}")).status_code == 204
    told = [e["data"] for e in await world.events("tickets.contract.changed")]
    assert (told[-1]["name"], told[-1]["in_force"], told[-1]["none_in_force"]) == (
        "Gold",
        False,
        True,
    )
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (False, None)
    assert await priorities(world, "carla") == ["P4"]
    assert (await world.ticket("carla", priority="P1"))["priority"] == "P4"


async def test_a_contract_that_ended_is_announced_once_as_none_in_force(world: Portal) -> None:
    gold = await new_contract(world, "globex", name="Gold", priorities_selectable=True)
    await world.settle()
    assert (await organization(world, "globex"))["sla_contract"] == "Gold"
    # Yesterday was its last day, as far as the contract is concerned.
    async with world.tickets.session_factory() as s:
        await s.execute(
            update(Contract)
            .where(Contract.id == uuid.UUID(gold["id"]))
            .values(valid_until=TODAY - timedelta(days=1))
        )
        await s.commit()
    assert await announce_contracts_in_force.fn(world.tickets) == 1
    told = [e["data"] for e in await world.events("tickets.contract.changed")]
    assert (told[-1]["contract_id"], told[-1]["none_in_force"]) == (gold["id"], True)
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (False, None)
    assert await priorities(world, "carla") == ["P4"]
    # Once: the organization says what the (absent) contract says; an admin's own grant
    # of priorities afterwards is the organization's to keep.
    assert await announce_contracts_in_force.fn(world.tickets) == 0
    r = await world.client.patch(
        f"/api/v1/admin/organizations/{world.orgs['globex']}",
        json={"priority_contract": True},
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    await world.settle()
    assert await announce_contracts_in_force.fn(world.tickets) == 0
    assert await priorities(world, "carla") == ALL


async def test_a_contract_moved_to_begin_later_leaves_the_standard_terms(world: Portal) -> None:
    gold = await new_contract(world, "globex", name="Gold", priorities_selectable=True)
    await world.settle()
    r = await as_admin(world, "PATCH", f"{CONTRACTS}/{gold['id']}", {"valid_from": day(10)})
    assert r.status_code == 200, r.text
    await world.settle()
    shown = await organization(world, "globex")
    assert (shown["priority_contract"], shown["sla_contract"]) == (False, None)
    assert await priorities(world, "carla") == ["P4"]


async def test_the_contract_an_asset_names_is_the_one_its_tickets_get(world: Portal) -> None:
    basic = await new_contract(world, "acme", name="Basic", valid_from=day(-100))
    machines = await new_contract(
        world, "acme", name="Machines", products=["Press"], targets=targets(1)
    )
    listing = await new_contract(world, "acme", name="Old list", targets=targets(2))
    later = await new_contract(world, "acme", name="Next year", valid_from=day(300))
    # The asset names a contract covering another product, and an older contract still
    # lists it: the asset's own contract field decides.
    press = await new_asset(world, "acme", contract_id=machines["id"])
    r = await as_admin(world, "PATCH", f"{CONTRACTS}/{listing['id']}", {"asset_ids": [press["id"]]})
    assert r.status_code == 200, r.text
    r = await as_admin(
        world, "PATCH", f"/api/v1/assets/{press['id']}", {"contract_id": machines["id"]}
    )
    assert r.status_code == 200, r.text
    shown = await in_force(world, "ben", asset_id=press["id"], product="Scanner")
    assert shown["contract"]["id"] == machines["id"]
    ticket = await world.ticket("ben", asset_id=press["serial_number"], product="Scanner")
    assert ticket["sla"]["contract"]["id"] == machines["id"]
    # Its contract not in force (yet): the usual ranking.
    r = await as_admin(
        world, "PATCH", f"/api/v1/assets/{press['id']}", {"contract_id": later["id"]}
    )
    assert r.status_code == 200, r.text
    assert (await in_force(world, "ben", asset_id=press["id"]))["contract"]["id"] == listing["id"]
    other = await new_asset(world, "acme")
    assert (await in_force(world, "ben", asset_id=other["id"]))["contract"]["id"] == basic["id"]


async def test_a_contracts_asset_list_and_the_assets_contract_say_the_same(
    world: Portal,
) -> None:
    press, lift = await new_asset(world, "acme"), await new_asset(world, "acme")
    floor = await new_contract(world, "acme", name="Floor 2", asset_ids=[press["id"], lift["id"]])
    assert {(await asset(world, a["id"]))["contract_id"] for a in (press, lift)} == {floor["id"]}
    r = await as_admin(world, "PATCH", f"{CONTRACTS}/{floor['id']}", {"asset_ids": [lift["id"]]})
    assert r.status_code == 200 and r.json()["asset_ids"] == [lift["id"]]
    assert (await asset(world, press["id"]))["contract_id"] is None
    assert (await as_admin(world, "DELETE", f"{CONTRACTS}/{floor['id']}")).status_code == 204
    assert (await asset(world, lift["id"]))["contract_id"] is None

    # Only the organization's own assets: another's, or none at all, is a field error.
    foreign = await new_asset(world, "globex")
    body = {
        "organization_id": world.orgs["acme"],
        "name": "Mixed",
        "valid_from": day(-1),
        "calendar_id": (await standard(world))["id"],
        "targets": targets(),
        "asset_ids": [press["id"], foreign["id"], str(uuid.uuid4())],
    }
    r = await as_admin(world, "POST", CONTRACTS, body)
    assert r.status_code == 422
    assert [(e["field"], e["code"]) for e in r.json()["errors"]] == [
        ("asset_ids.1", "unknown_asset"),
        ("asset_ids.2", "unknown_asset"),
    ]
    gold = await new_contract(world, "acme", name="Gold")
    r = await as_admin(world, "PATCH", f"{CONTRACTS}/{gold['id']}", {"asset_ids": [foreign["id"]]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "asset_ids.0"
    # And an asset names a contract of its own organization only.
    r = await as_admin(
        world, "PATCH", f"/api/v1/assets/{foreign['id']}", {"contract_id": gold["id"]}
    )
    assert r.status_code == 422
    assert r.json()["errors"][0] == {
        "field": "contract_id",
        "message": r.json()["errors"][0]["message"],
        "code": "unknown_contract",
    }
