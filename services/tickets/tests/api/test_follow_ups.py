"""Follow-up tickets: a closed ticket is continued by a new one that names it, and each
shows the other, as far as the reader may see."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_a_closed_ticket_is_continued_by_a_follow_up(world: Portal) -> None:
    ben = await world.as_("ben")
    number = (await world.ticket("ben"))["number"]
    still_open = await world.client.post(
        "/api/v1/tickets", json={"title": "Again", "follow_up_of": number}, headers=ben
    )
    assert still_open.status_code == 422
    assert still_open.json()["errors"][0]["code"] == "not_closed"

    await world.client.post(f"/api/v1/tickets/{number}/close", headers=ben)
    created = await world.client.post(
        "/api/v1/tickets", json={"title": "Again", "follow_up_of": number}, headers=ben
    )
    assert created.status_code == 201, created.text
    assert created.json()["follow_up_of"] == number
    assert created.json()["channel"] == "portal"
    for reader in ("ben", "anna", "erik"):
        old = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(reader))
        assert old.json()["follow_ups"] == [created.json()["number"]], reader


async def test_a_follow_up_of_a_ticket_one_cannot_see_is_refused_like_a_missing_one(
    world: Portal,
) -> None:
    carla = await world.as_("carla")
    number = (await world.ticket("carla"))["number"]
    await world.client.post(f"/api/v1/tickets/{number}/close", headers=carla)
    for user in ("ben", "dan"):  # another organization; a colleague without org-wide view
        r = await world.client.post(
            "/api/v1/tickets",
            json={"title": "Mine now", "follow_up_of": number},
            headers=await world.as_(user),
        )
        assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unknown_ticket", user
    missing = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Ghost", "follow_up_of": "T9999999"},
        headers=carla,
    )
    assert missing.json()["errors"][0]["code"] == "unknown_ticket"
