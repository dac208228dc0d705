"""The service desk opens a ticket for a customer who called: it belongs to the contact
and their organization, records the channel, and the customer sees it as theirs."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


def codes(r: object) -> set[tuple[str, str]]:
    return {(e["field"], e["code"]) for e in r.json()["errors"]}  # type: ignore[attr-defined]


async def test_an_agent_opens_a_phone_ticket_the_customer_sees_as_theirs(world: Portal) -> None:
    erik = await world.as_("erik")
    r = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "Robot arm stops after the update",
            "contact_id": world.ids["ben"],
            "organization_id": world.orgs["acme"],
            "channel": "phone",
        },
        headers=erik,
    )
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["channel"] == "phone"
    assert made["organization"]["id"] == world.orgs["acme"]
    assert made["contact"]["id"] == world.ids["ben"]
    assert made["creator"]["id"] == world.ids["erik"]
    # Ben finds it among his own tickets; Anna, his colleague, in the organization's.
    mine = await world.client.get(
        "/api/v1/tickets", params={"scope": "mine"}, headers=await world.as_("ben")
    )
    assert made["number"] in {t["number"] for t in mine.json()["items"]}
    shown = await world.client.get(
        f"/api/v1/tickets/{made['number']}", headers=await world.as_("anna")
    )
    assert shown.status_code == 200 and shown.json()["channel"] == "phone"
    # Another organization's customer does not see it.
    other = await world.client.get(
        f"/api/v1/tickets/{made['number']}", headers=await world.as_("carla")
    )
    assert other.status_code == 404


async def test_the_organization_must_be_the_contacts(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "Scanner offline",
            "contact_id": world.ids["ben"],
            "organization_id": world.orgs["globex"],
            "channel": "on_site",
        },
        headers=await world.as_("erik"),
    )
    assert r.status_code == 422
    assert codes(r) == {("organization_id", "organization_mismatch")}


async def test_customers_open_through_the_portal_only(world: Portal) -> None:
    ben = await world.as_("ben")
    r = await world.client.post(
        "/api/v1/tickets", json={"title": "Printer jams", "channel": "phone"}, headers=ben
    )
    assert r.status_code == 422
    assert codes(r) == {("channel", "staff_only")}
    r = await world.client.post(
        "/api/v1/tickets", json={"title": "Printer jams", "channel": "portal"}, headers=ben
    )
    assert r.status_code == 201 and r.json()["channel"] == "portal"
    r = await world.client.post(
        "/api/v1/tickets", json={"title": "Printer jams", "channel": "fax"}, headers=ben
    )
    assert r.status_code == 422
