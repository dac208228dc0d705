"""Opening, reading and changing tickets: the rules of DESIGN.md §2 "Tickets"."""

from __future__ import annotations

import asyncio

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_ticket_numbers_are_unique_and_increasing(world: Portal) -> None:
    numbers = [(await world.ticket("ben"))["number"] for _ in range(3)]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3
    assert all(n.startswith("T") for n in numbers)


async def test_new_ticket_shows_names_portal_status_and_sla(world: Portal) -> None:
    t = await world.ticket("ben", description="First line\nsecond line", priority="P2")
    assert t["portal_status"] == "in_progress" and t["portal_status_color"] == "orange"
    assert t["status"] is None  # internal status is for the service desk only
    assert t["first_line"] == "First line"
    assert t["organization"]["name"] == "Acme" and t["contact"]["name"] == "Ben"
    assert t["priority"] == "P2" and t["sla"]["due_at"] and t["sla"]["state"] in ("ok", "at_risk")
    created = await world.events("tickets.ticket.created")
    assert created[-1]["data"]["number"] == t["number"]


async def test_the_first_line_is_cut_to_200_characters(world: Portal) -> None:
    long_line = "Printer " + "x" * 300  # the description arrives stripped
    t = await world.ticket("ben", description=f"\n \t\r\n{long_line}\r\nsecond line")
    assert t["first_line"] == long_line[:200]
    listed = await world.client.get(
        "/api/v1/tickets", params={"limit": 1}, headers=await world.as_("ben")
    )
    assert listed.json()["items"][0]["first_line"] == long_line[:200]


async def test_organization_without_priority_contract_always_gets_p4(world: Portal) -> None:
    t = await world.ticket("carla", priority="P1")
    assert t["priority"] == "P4"
    r = await world.client.patch(
        f"/api/v1/tickets/{t['number']}", json={"priority": "P1"}, headers=await world.as_("carla")
    )
    # Refused, not silently kept at P4: the person learns why nothing changed.
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "priority"


async def test_contact_may_be_a_colleague_but_not_a_stranger(world: Portal) -> None:
    t = await world.ticket("anna", contact_id=world.ids["ben"])
    assert t["contact"]["name"] == "Ben" and t["creator"]["name"] == "Anna"
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "x", "contact_id": world.ids["carla"]},
        headers=await world.as_("anna"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "contact_id"


async def test_org_wide_visibility_decides_what_colleagues_see(world: Portal) -> None:
    acme_ticket = await world.ticket("ben")
    globex_ticket = await world.ticket("dan")
    anna = await world.client.get(
        f"/api/v1/tickets/{acme_ticket['number']}", headers=await world.as_("anna")
    )
    assert anna.status_code == 200  # Acme shares tickets across the organization
    carla = await world.client.get(
        f"/api/v1/tickets/{globex_ticket['number']}", headers=await world.as_("carla")
    )
    assert carla.status_code == 404  # Globex revoked organization-wide visibility


async def test_customers_change_category_and_priority_but_not_status(world: Portal) -> None:
    t = await world.ticket("ben")
    ben = await world.as_("ben")
    r = await world.client.patch(
        f"/api/v1/tickets/{t['number']}",
        json={"category": "question", "priority": "P3"},
        headers=ben,
    )
    assert r.status_code == 200
    assert (r.json()["category"], r.json()["priority"]) == ("question", "P3")
    updated = (await world.events("tickets.ticket.updated"))[-1]["data"]
    assert updated["changes"] == {"category": ["incident", "question"], "priority": ["P4", "P3"]}
    r = await world.client.patch(
        f"/api/v1/tickets/{t['number']}", json={"status": "resolved"}, headers=ben
    )
    assert r.status_code == 422


async def test_agents_set_status_and_assignee(world: Portal) -> None:
    t = await world.ticket("ben")
    erik = await world.as_("erik")
    r = await world.client.patch(
        f"/api/v1/tickets/{t['number']}",
        json={"status": "waiting_customer", "assignee_id": world.ids["erik"]},
        headers=erik,
    )
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "waiting_customer" and body["assignee"]["name"] == "Erik"
    ben_view = await world.client.get(
        f"/api/v1/tickets/{t['number']}", headers=await world.as_("ben")
    )
    assert ben_view.json()["portal_status"] == "answer_expected"
    assert ben_view.json()["portal_status_color"] == "red"
    changed = (await world.events("tickets.ticket.status_changed"))[-1]["data"]
    assert (changed["previous_status"], changed["status"]) == ("new", "waiting_customer")
    bad = await world.client.patch(
        f"/api/v1/tickets/{t['number']}", json={"assignee_id": world.ids["ben"]}, headers=erik
    )
    assert bad.status_code == 422  # only staff can be assignees


async def test_internal_notes_never_reach_customers(world: Portal) -> None:
    t = await world.ticket("ben")
    erik = await world.as_("erik")
    path = f"/api/v1/tickets/{t['number']}/articles"
    await world.client.post(
        path, json={"body": "Customer is on the old firmware", "internal": True}, headers=erik
    )
    await world.client.post(path, json={"body": "Please update the firmware."}, headers=erik)
    customer = await world.client.get(path, headers=await world.as_("ben"))
    agent = await world.client.get(path, headers=erik)
    assert [a["body"] for a in customer.json()["items"]] == ["Please update the firmware."]
    assert len(agent.json()["items"]) == 2
    assert "old firmware" not in customer.text
    notes = [e for e in await world.events("tickets.article.added") if e["data"]["internal"]]
    assert len(notes) == 1
    r = await world.client.post(
        path, json={"body": "sneaky", "internal": True}, headers=await world.as_("ben")
    )
    assert r.status_code == 422


async def test_agent_reply_counts_as_first_reaction(world: Portal) -> None:
    t = await world.ticket("ben")
    await world.client.post(
        f"/api/v1/tickets/{t['number']}/articles",
        json={"body": "We are on it."},
        headers=await world.as_("erik"),
    )
    after = await world.client.get(
        f"/api/v1/tickets/{t['number']}", headers=await world.as_("erik")
    )
    assert after.json()["sla"]["state"] == "met" and after.json()["status"] == "open"


async def test_customer_reply_reopens_a_recently_resolved_ticket(world: Portal) -> None:
    t = await world.ticket("ben")
    number = t["number"]
    await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "resolved"}, headers=await world.as_("erik")
    )
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "Still broken."},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201
    view = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("erik"))
    assert view.json()["status"] == "open"


async def test_escalation_needs_a_message_and_is_rate_limited(world: Portal) -> None:
    t = await world.ticket("ben")
    path = f"/api/v1/tickets/{t['number']}/escalate"
    ben = await world.as_("ben")
    assert (await world.client.post(path, json={}, headers=ben)).status_code == 422
    assert (await world.client.post(path, json={"body": ""}, headers=ben)).status_code == 422
    first = await world.client.post(path, json={"body": "Production is down!"}, headers=ben)
    assert first.status_code == 201
    again = await world.client.post(path, json={"body": "Hello?"}, headers=ben)
    assert again.status_code == 429 and int(again.headers["Retry-After"]) > 3 * 3600
    assert len(await world.events("tickets.ticket.escalated")) == 1


async def _escalate_concurrently(portal: Portal) -> None:
    """Ten escalations of one ticket at the same moment: the rule "once per interval"
    lets exactly one through, on every database."""
    t = await portal.ticket("ben")
    path = f"/api/v1/tickets/{t['number']}/escalate"
    ben = await portal.as_("ben")
    responses = await asyncio.gather(
        *(portal.client.post(path, json={"body": f"Down! ({i})"}, headers=ben) for i in range(10))
    )
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [429] * 9, [r.text for r in responses if r.status_code != 429]
    assert len(await portal.events("tickets.ticket.escalated")) == 1
    articles = await portal.client.get(f"/api/v1/tickets/{t['number']}/articles", headers=ben)
    assert len([a for a in articles.json()["items"] if a["body"].startswith("Down!")]) == 1


async def test_concurrent_escalations_let_one_through_on_sqlite(sqlite_world: Portal) -> None:
    await _escalate_concurrently(sqlite_world)


async def test_concurrent_escalations_let_one_through_on_postgresql(world: Portal) -> None:
    await _escalate_concurrently(world)


async def test_close_and_cancel(world: Portal) -> None:
    one, two = await world.ticket("ben"), await world.ticket("ben")
    ben = await world.as_("ben")
    closed = await world.client.post(f"/api/v1/tickets/{one['number']}/close", headers=ben)
    assert closed.json()["portal_status"] == "closed" and closed.json()["cancelled"] is False
    cancelled = await world.client.post(f"/api/v1/tickets/{two['number']}/cancel", headers=ben)
    assert cancelled.json()["portal_status"] == "closed" and cancelled.json()["cancelled"] is True
    again = await world.client.post(f"/api/v1/tickets/{one['number']}/close", headers=ben)
    assert again.status_code == 409
    reply = await world.client.post(
        f"/api/v1/tickets/{one['number']}/articles", json={"body": "hm"}, headers=ben
    )
    assert reply.status_code == 409
    assert len(await world.events("tickets.ticket.closed")) == 1
    assert len(await world.events("tickets.ticket.cancelled")) == 1


async def test_unknown_attachment_ids_are_refused(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "x", "attachment_ids": ["00000000-0000-0000-0000-000000000001"]},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "attachment_ids.0"
