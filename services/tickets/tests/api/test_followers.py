"""The desk sees and changes who follows a ticket (only people who may see it), and sets
the product a ticket is about; customers do neither."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_the_desk_adds_and_removes_followers_who_may_see_the_ticket(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    erik = await world.as_("erik")
    followers = f"/api/v1/tickets/{number}/followers"
    assert (await world.client.get(followers, headers=erik)).json() == {"items": []}
    r = await world.client.put(f"{followers}/{world.ids['anna']}", headers=erik)
    assert r.status_code == 204
    again = await world.client.put(f"{followers}/{world.ids['anna']}", headers=erik)
    assert again.status_code == 204  # idempotent
    listed = (await world.client.get(followers, headers=erik)).json()["items"]
    assert [f["id"] for f in listed] == [world.ids["anna"]]
    anna = await world.client.get(
        f"/api/v1/tickets/{number}/follow", headers=await world.as_("anna")
    )
    assert anna.json() == {"following": True}
    # Carla (another organization) may not see the ticket: she cannot follow it.
    r = await world.client.put(f"{followers}/{world.ids['carla']}", headers=erik)
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "unknown_user"
    r = await world.client.delete(f"{followers}/{world.ids['anna']}", headers=erik)
    assert r.status_code == 204
    assert (await world.client.get(followers, headers=erik)).json() == {"items": []}
    assert (await world.client.get(followers, headers=await world.as_("ben"))).status_code == 404


async def test_the_desk_sets_the_product(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"product": "LaserJet 9"}, headers=await world.as_("erik")
    )
    assert r.status_code == 200 and r.json()["product"] == "LaserJet 9"
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"product": "Other"}, headers=await world.as_("ben")
    )
    assert r.status_code == 422 and r.json()["errors"][0]["code"] == "staff_only"
