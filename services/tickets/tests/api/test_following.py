"""Following a ticket: for those who can see it, idempotent, announced by events."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_follow_and_unfollow(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    path = f"/api/v1/tickets/{number}/follow"
    anna = await world.as_("anna")
    assert (await world.client.get(path, headers=anna)).json() == {"following": False}
    for _ in range(2):  # following twice is following once
        r = await world.client.put(path, headers=anna)
        assert r.status_code == 200 and r.json() == {"following": True}
    assert (await world.client.get(path, headers=anna)).json() == {"following": True}
    r = await world.client.delete(path, headers=anna)
    assert r.json() == {"following": False}
    assert (await world.client.delete(path, headers=anna)).json() == {"following": False}

    followed = await world.events("tickets.ticket.followed")
    unfollowed = await world.events("tickets.ticket.unfollowed")
    assert [e["data"]["user_id"] for e in followed] == [world.ids["anna"]]
    assert [e["data"]["number"] for e in unfollowed] == [number]


async def test_only_those_who_see_a_ticket_can_follow_it(world: Portal) -> None:
    # Globex has no organization-wide visibility: dan cannot see carla's ticket.
    number = (await world.ticket("carla"))["number"]
    path = f"/api/v1/tickets/{number}/follow"
    for user in ("dan", "ben"):
        r = await world.client.put(path, headers=await world.as_(user))
        assert r.status_code == 404
        assert r.headers["content-type"] == "application/problem+json"
    assert (await world.client.put(path, headers=await world.as_("erik"))).status_code == 200
    assert await world.events("tickets.ticket.followed") != []
    missing = await world.client.put(
        "/api/v1/tickets/T9999999/follow", headers=await world.as_("ben")
    )
    assert missing.status_code == 404
