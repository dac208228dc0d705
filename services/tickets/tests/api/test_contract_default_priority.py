"""A contract's default priority: what a new ticket gets when its creator names none (a
mail, above all), as long as the contract lets the organization choose priorities;
without one, P4."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from portal_harness import Portal

from portal_tickets.mail_intake.service import Intake, Outcome

pytestmark = pytest.mark.integration

CONTRACTS = "/api/v1/contracts"


async def contract(world: Portal, org: str, **fields: Any) -> dict[str, Any]:
    admin = await world.admin()
    calendars = (await world.client.get("/api/v1/business-calendars", headers=admin)).json()
    body = {
        "organization_id": world.orgs[org],
        "name": "Gold",
        "valid_from": str(date.today() - timedelta(days=1)),
        "calendar_id": next(c["id"] for c in calendars["items"] if c["is_default"]),
        "priorities_selectable": True,
        "targets": {
            p: {"reaction_hours": 4, "resolution_hours": 16} for p in ("P1", "P2", "P3", "P4")
        },
        **fields,
    }
    r = await world.client.post(CONTRACTS, json=body, headers=admin)
    assert r.status_code == 201, r.text
    return dict(r.json())


async def mailed_ticket(world: Portal, sender: str) -> dict[str, Any]:
    """A mail from `sender` to the support address, taken in: the ticket it opened."""
    msg = EmailMessage()
    msg["From"] = f"{sender.capitalize()} <{sender}@example.com>"
    msg["To"] = "support@portal.test"
    msg["Subject"] = "Press stopped"
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    msg.set_content("The press on line 2 stopped.")
    runtime = world.tickets
    intake = Intake(
        uow=runtime.uow,
        settings=runtime.settings,
        support_address="support@portal.test",
        signing_keys=["key"],
        limiter=runtime.limiter,
    )
    assert await intake.take_in(msg.as_bytes(), "test") is Outcome.OPENED
    number = (await world.events("tickets.ticket.created"))[-1]["data"]["number"]
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("erik"))
    assert r.status_code == 200, r.text
    return dict(r.json())


async def test_a_mail_opens_a_ticket_with_the_contracts_default_priority(world: Portal) -> None:
    gold = await contract(world, "acme", default_priority="P2")
    assert gold["default_priority"] == "P2"
    ticket = await mailed_ticket(world, "ben")
    assert (ticket["channel"], ticket["priority"]) == ("email", "P2")
    # The contract's P2 targets, counted from the opening.
    assert ticket["sla"]["contract"]["id"] == gold["id"]
    # Through the API too: no priority named, the default; one named, that one.
    ben = await world.as_("ben")
    r = await world.client.post("/api/v1/tickets", json={"title": "Lift"}, headers=ben)
    assert r.status_code == 201 and r.json()["priority"] == "P2"
    named = await world.ticket("ben", priority="P3")
    assert named["priority"] == "P3"
    choice = await world.client.get("/api/v1/tickets/priorities", headers=ben)
    assert choice.json() == {"items": ["P1", "P2", "P3", "P4"], "default": "P2"}
    # Without a default of its own (null clears it): P4.
    r = await world.client.patch(
        f"{CONTRACTS}/{gold['id']}", json={"default_priority": None}, headers=await world.admin()
    )
    assert r.status_code == 200 and r.json()["default_priority"] is None
    assert (await mailed_ticket(world, "ben"))["priority"] == "P4"


async def test_without_a_choice_of_priorities_the_default_is_p4(world: Portal) -> None:
    await contract(world, "globex", default_priority="P1", priorities_selectable=False)
    assert (await mailed_ticket(world, "carla"))["priority"] == "P4"
    choice = await world.client.get("/api/v1/tickets/priorities", headers=await world.as_("carla"))
    assert choice.json() == {"items": ["P4"], "default": "P4"}


async def test_a_default_priority_is_one_of_p1_to_p4(world: Portal) -> None:
    admin = await world.admin()
    gold = await contract(world, "acme")
    assert gold["default_priority"] is None
    r = await world.client.patch(
        f"{CONTRACTS}/{gold['id']}", json={"default_priority": "P5"}, headers=admin
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "default_priority"
