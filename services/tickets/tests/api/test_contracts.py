"""Contracts and business calendars through the API: admins write, the service desk
reads everything, customers their own organization's contracts; validation a person
understands; another organization's contract does not exist for a customer."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

CALENDARS = "/api/v1/business-calendars"
CONTRACTS = "/api/v1/contracts"
PROBLEM = "application/problem+json"
TODAY = date.today()


def targets(p1: float = 4, *, selectable_hours: float = 8) -> dict[str, Any]:
    hours = {"P1": p1, "P2": selectable_hours, "P3": 24, "P4": 40}
    return {p: {"reaction_hours": h, "resolution_hours": 4 * h} for p, h in hours.items()}


async def standard(world: Portal) -> dict[str, Any]:
    r = await world.client.get(CALENDARS, headers=await world.admin())
    [found] = [c for c in r.json()["items"] if c["is_default"]]
    return found


async def new_contract(world: Portal, org: str, **fields: Any) -> dict[str, Any]:
    body = {
        "organization_id": world.orgs[org],
        "name": "Premium",
        "valid_from": str(TODAY - timedelta(days=30)),
        "calendar_id": (await standard(world))["id"],
        "targets": targets(),
        **fields,
    }
    r = await world.client.post(CONTRACTS, json=body, headers=await world.admin())
    assert r.status_code == 201, r.text
    return r.json()


async def as_admin(world: Portal, method: str, path: str, body: Any = None) -> httpx.Response:
    return await world.client.request(method, path, json=body, headers=await world.admin())


def codes(r: Any) -> set[tuple[str, str]]:
    assert r.status_code == 422, r.text
    assert r.headers["content-type"].startswith(PROBLEM)
    return {(e["field"], e["code"]) for e in r.json()["errors"]}


async def test_the_migration_made_the_standard_calendar_from_the_settings(world: Portal) -> None:
    calendar = await standard(world)
    assert calendar["name"] == "Standard"
    assert calendar["time_zone"] == world.tickets.settings.business_timezone
    assert calendar["weekly"] == {str(d): ["08:00", "17:00"] for d in range(5)}


async def test_admins_manage_calendars_and_the_default_stays_one(world: Portal) -> None:
    admin = await world.admin()
    body = {
        "name": "Round the clock",
        "time_zone": "America/New_York",
        "weekly": {str(d): ["00:00", "23:59"] for d in range(7)},
        "holidays": ["2027-12-25", "2027-01-01", "2027-12-25"],
    }
    r = await world.client.post(CALENDARS, json=body, headers=admin)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["holidays"] == ["2027-01-01", "2027-12-25"] and not made["is_default"]
    old = await standard(world)
    r = await world.client.patch(
        f"{CALENDARS}/{made['id']}", json={"is_default": True}, headers=admin
    )
    assert r.status_code == 200 and r.json()["is_default"]
    assert (await standard(world))["id"] == made["id"]
    former = await world.client.get(f"{CALENDARS}/{old['id']}", headers=await world.as_("erik"))
    assert former.status_code == 200 and not former.json()["is_default"]
    r = await world.client.patch(
        f"{CALENDARS}/{made['id']}", json={"is_default": False}, headers=admin
    )
    assert codes(r) == {("is_default", "default_required")}
    r = await world.client.delete(f"{CALENDARS}/{made['id']}", headers=admin)
    assert r.status_code == 409 and "default" in r.json()["detail"]
    # The former default is free to go now; then it does not exist.
    assert (await world.client.delete(f"{CALENDARS}/{old['id']}", headers=admin)).status_code == 204
    assert (await world.client.get(f"{CALENDARS}/{old['id']}", headers=admin)).status_code == 404


async def test_a_calendar_in_use_cannot_be_deleted(world: Portal) -> None:
    admin = await world.admin()
    body = {"name": "Weekdays late", "time_zone": "UTC", "weekly": {"0": ["12:00", "20:00"]}}
    calendar = (await world.client.post(CALENDARS, json=body, headers=admin)).json()
    contract = await new_contract(world, "acme", calendar_id=calendar["id"])
    assert contract["calendar_name"] == "Weekdays late"
    r = await world.client.delete(f"{CALENDARS}/{calendar['id']}", headers=admin)
    assert r.status_code == 409 and r.headers["content-type"].startswith(PROBLEM)
    assert r.json()["detail"] == (
        "Contracts count their targets in this business calendar; give them another calendar first."
    )
    assert (
        await world.client.delete(f"{CONTRACTS}/{contract['id']}", headers=admin)
    ).status_code == 204
    assert (
        await world.client.delete(f"{CALENDARS}/{calendar['id']}", headers=admin)
    ).status_code == 204


async def test_calendar_validation_names_fields_and_codes(world: Portal) -> None:
    admin = await world.admin()
    body = {
        "name": "Standard",
        "time_zone": "Europe/Atlantis",
        "weekly": {"0": ["17:00", "08:00"], "9": ["08:00", "12:00"]},
    }
    r = await world.client.post(CALENDARS, json=body, headers=admin)
    assert codes(r) == {
        ("name", "name_taken"),
        ("time_zone", "unknown_time_zone"),
        ("weekly.0", "closes_before_opens"),
        ("weekly.9", "unknown_weekday"),
    }
    calendar = await standard(world)
    patch = {"weekly": {"2": ["09:00", "09:00"]}}
    r = await world.client.patch(f"{CALENDARS}/{calendar['id']}", json=patch, headers=admin)
    assert codes(r) == {("weekly.2", "closes_before_opens")}


async def test_contract_validation_names_fields_and_codes(world: Portal) -> None:
    admin = await world.admin()
    broken = targets()
    del broken["P4"]
    broken["P2"]["reaction_hours"] = 0
    broken["P3"]["resolution_hours"] = 2
    body = {
        "organization_id": "00000000-0000-0000-0000-000000000001",
        "name": "Premium",
        "valid_from": "2027-02-01",
        "valid_until": "2027-01-31",
        "calendar_id": "00000000-0000-0000-0000-000000000002",
        "targets": broken,
    }
    r = await world.client.post(CONTRACTS, json=body, headers=admin)
    assert codes(r) == {
        ("organization_id", "unknown_organization"),
        ("calendar_id", "unknown_calendar"),
        ("valid_until", "valid_until_before_valid_from"),
        ("targets.P2.reaction_hours", "not_positive"),
        ("targets.P3.resolution_hours", "resolution_before_reaction"),
        ("targets.P4", "missing_priority"),
    }
    first = await new_contract(world, "acme", valid_until=str(TODAY + timedelta(days=10)))
    overlapping = {"valid_from": str(TODAY + timedelta(days=10))}
    r = await world.client.post(
        CONTRACTS,
        json={**_body_of(first), **overlapping, "valid_until": None},
        headers=admin,
    )
    assert codes(r) == {("name", "overlapping_contract")}
    # The day after it ends, a contract of the same name may begin; another name any day.
    follower = {
        **_body_of(first),
        "valid_from": str(TODAY + timedelta(days=11)),
        "valid_until": None,
    }
    assert (await world.client.post(CONTRACTS, json=follower, headers=admin)).status_code == 201
    other = {**_body_of(first), "name": "Printers", "products": ["LaserJet 9"]}
    assert (await world.client.post(CONTRACTS, json=other, headers=admin)).status_code == 201
    r = await world.client.patch(
        f"{CONTRACTS}/{first['id']}", json={"valid_until": None}, headers=admin
    )
    assert codes(r) == {("name", "overlapping_contract")}


def _body_of(contract: dict[str, Any]) -> dict[str, Any]:
    keep = ("organization_id", "name", "valid_from", "valid_until", "calendar_id", "targets")
    return {k: contract[k] for k in keep}


async def test_admins_create_change_and_delete_contracts(world: Portal) -> None:
    admin = await world.admin()
    made = await new_contract(world, "globex", products=["LaserJet 9", "LaserJet 9"])
    assert made["products"] == ["LaserJet 9"] and made["valid_until"] is None
    assert made["targets"]["P1"] == {"reaction_hours": 4.0, "resolution_hours": 16.0}
    patch = {"name": "Gold", "valid_until": str(TODAY + timedelta(days=365)), "products": []}
    r = await world.client.patch(f"{CONTRACTS}/{made['id']}", json=patch, headers=admin)
    assert r.status_code == 200, r.text
    assert r.json()["name"] == "Gold" and r.json()["products"] == []
    listed = await world.client.get(
        f"{CONTRACTS}?organization_id={world.orgs['globex']}", headers=await world.as_("erik")
    )
    assert [c["name"] for c in listed.json()["items"]] == ["Gold"]
    assert (
        await world.client.delete(f"{CONTRACTS}/{made['id']}", headers=admin)
    ).status_code == 204
    assert (await world.client.get(f"{CONTRACTS}/{made['id']}", headers=admin)).status_code == 404
    told = [e["data"] for e in await world.events("tickets.contract.changed")]
    assert [(e["name"], e["in_force"]) for e in told] == [
        ("Premium", False),  # it covers one product only: not the organization's in force
        ("Gold", True),
        ("Gold", False),  # deleted
    ]
    assert {e["contract_id"] for e in told} == {made["id"]}


async def test_only_admins_write_and_only_staff_read_calendars(world: Portal) -> None:
    calendar = await standard(world)
    contract = await new_contract(world, "acme")
    for user in ("ben", "anna", "erik"):
        headers = await world.as_(user)
        writes = [
            ("POST", CALENDARS, {"name": "x"}),
            ("PATCH", f"{CALENDARS}/{calendar['id']}", {"name": "x"}),
            ("DELETE", f"{CALENDARS}/{calendar['id']}", None),
            ("POST", CONTRACTS, {"name": 5}),
            ("PATCH", f"{CONTRACTS}/{contract['id']}", {"name": "x"}),
            ("DELETE", f"{CONTRACTS}/{contract['id']}", None),
        ]
        for method, path, body in writes:
            r = await world.client.request(method, path, json=body, headers=headers)
            assert r.status_code == 404, (user, method, path, r.status_code)
    for user, status in (("ben", 404), ("erik", 200)):
        r = await world.client.get(CALENDARS, headers=await world.as_(user))
        assert r.status_code == status, user


async def test_another_organizations_contract_does_not_exist_for_a_customer(
    world: Portal,
) -> None:
    acme = await new_contract(world, "acme", name="Acme Premium")
    carla = await world.as_("carla")
    missing = await world.client.get(
        f"{CONTRACTS}/00000000-0000-0000-0000-000000000009", headers=carla
    )
    calls = [
        f"{CONTRACTS}/{acme['id']}",
        f"{CONTRACTS}?organization_id={world.orgs['acme']}",
        f"{CONTRACTS}/in-force?organization_id={world.orgs['acme']}",
    ]
    for path in calls:
        r = await world.client.get(path, headers=carla)
        assert r.status_code == 404, path
        assert "Acme" not in r.text
    assert missing.status_code == 404
    r = await world.client.get(f"{CONTRACTS}/{acme['id']}", headers=carla)
    assert r.json()["title"] == missing.json()["title"]
    own = await world.client.get(CONTRACTS, headers=carla)
    assert own.status_code == 200 and own.json()["items"] == []
    for user in ("ben", "anna"):
        shown = await world.client.get(f"{CONTRACTS}/{acme['id']}", headers=await world.as_(user))
        assert shown.status_code == 200 and shown.json()["name"] == "Acme Premium"
        listed = await world.client.get(CONTRACTS, headers=await world.as_(user))
        assert [c["id"] for c in listed.json()["items"]] == [acme["id"]]
    everything = await world.client.get(CONTRACTS, headers=await world.as_("erik"))
    assert [c["id"] for c in everything.json()["items"]] == [acme["id"]]
