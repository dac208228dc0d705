"""Bulk actions of the desk: each ticket changed on its own by the single-change rules,
each change an audited event with the agent as actor, refusals reported per ticket."""

from __future__ import annotations

from typing import Any

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

BULK = "/api/v1/tickets/bulk"


async def bulk(world: Portal, body: dict[str, Any], user: str = "erik") -> Any:
    r = await world.client.post(BULK, json=body, headers=await world.as_(user))
    return r


async def test_assign_and_note_many_tickets_each_audited(world: Portal) -> None:
    numbers = [(await world.ticket(u))["number"] for u in ("ben", "anna", "carla")]
    r = await bulk(
        world,
        {
            "numbers": [n.lower() for n in numbers] + [numbers[0]],  # case and repeats
            "changes": {"assignee_id": world.ids["erik"]},
            "note": "Taken over by the second level.",
        },
    )
    assert r.status_code == 200, r.text
    result = r.json()
    assert (result["changed"], result["failed"]) == (3, 0)
    assert [o["number"] for o in result["results"]] == sorted(numbers)
    updates = [
        e for e in await world.events("tickets.ticket.updated") if e["data"]["number"] in numbers
    ]
    assert sorted(e["data"]["number"] for e in updates) == sorted(numbers)
    assert {e["data"]["actor_id"] for e in updates} == {world.ids["erik"]}
    assert all(e["data"]["changes"]["assignee_id"][1] == world.ids["erik"] for e in updates)
    notes = [
        e["data"]
        for e in await world.events("tickets.article.added")
        if e["data"]["ticket_number"] in numbers
    ]
    assert len(notes) == 3 and all(n["internal"] for n in notes)
    # The customer does not see the internal note.
    thread = await world.client.get(
        f"/api/v1/tickets/{numbers[0]}/articles", headers=await world.as_("ben")
    )
    assert "second level" not in thread.text


async def test_bulk_close_changes_each_open_ticket_once(world: Portal) -> None:
    open_ones = [(await world.ticket("ben"))["number"] for _ in range(3)]
    closed = (await world.ticket("ben"))["number"]
    ben = await world.as_("ben")
    assert (
        await world.client.post(f"/api/v1/tickets/{closed}/close", headers=ben)
    ).status_code == 200
    r = await bulk(
        world, {"numbers": [*open_ones, closed, "T999999"], "changes": {"status": "closed"}}
    )
    assert r.status_code == 200, r.text
    outcome = {o["number"]: o for o in r.json()["results"]}
    assert all(outcome[n]["ok"] for n in open_ones)
    assert outcome[closed]["ok"]  # closed already: nothing changes, nothing to report
    assert (outcome["T999999"]["ok"], outcome["T999999"]["status"]) == (False, 404)
    for number in open_ones:
        shown = await world.client.get(f"/api/v1/tickets/{number}", headers=ben)
        assert shown.json()["portal_status"] == "closed"
    changes = [
        e["data"]
        for e in await world.events("tickets.ticket.status_changed")
        if e["data"]["number"] in [*open_ones, closed]
        and e["data"]["actor_id"] == world.ids["erik"]
    ]
    assert sorted(c["number"] for c in changes) == sorted(open_ones)


async def test_a_bulk_priority_change_is_audited_per_ticket(world: Portal) -> None:
    numbers = [(await world.ticket(u))["number"] for u in ("ben", "carla")]
    erik = await world.as_("erik")
    before = {
        n: (await world.client.get(f"/api/v1/tickets/{n}", headers=erik)).json()["priority"]
        for n in numbers
    }
    assert set(before.values()) != {"P1"}
    r = await bulk(world, {"numbers": numbers, "changes": {"priority": "P1"}})
    assert r.status_code == 200, r.text
    assert (r.json()["changed"], r.json()["failed"]) == (2, 0)
    updates = {
        e["data"]["number"]: e["data"]
        for e in await world.events("tickets.ticket.updated")
        if e["data"]["number"] in numbers
    }
    assert set(updates) == set(numbers)
    for number, data in updates.items():
        assert data["actor_id"] == world.ids["erik"]
        assert data["changes"]["priority"] == [before[number], "P1"]
        shown = await world.client.get(f"/api/v1/tickets/{number}", headers=erik)
        assert shown.json()["priority"] == "P1"


async def test_a_refused_field_names_itself(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    r = await bulk(world, {"numbers": [number], "changes": {"assignee_id": world.ids["ben"]}})
    [outcome] = r.json()["results"]
    assert (outcome["ok"], outcome["status"]) == (False, 422)
    assert outcome["errors"][0]["field"] == "assignee_id"


async def test_nothing_to_do_and_too_many_are_refused(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    r = await bulk(world, {"numbers": [number]})
    assert r.status_code == 422
    assert r.json()["errors"][0]["code"] == "nothing_to_do"
    r = await bulk(world, {"numbers": [f"T{i:06d}" for i in range(101)], "note": "x"})
    assert r.status_code == 422
    # A note of nothing but control characters is no note (the fuzzer's find: it was a 500).
    r = await bulk(world, {"numbers": [number], "note": "\u000b"})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "note"
    r = await bulk(world, {"numbers": [number], "note": "x"}, user="anna")
    assert r.status_code == 404
