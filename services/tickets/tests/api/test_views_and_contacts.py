"""Saved personal views and the colleague picker."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_saved_views_are_personal(world: Portal) -> None:
    ben, anna = await world.as_("ben"), await world.as_("anna")
    view = {"name": "My urgent", "query": {"scope": "mine", "state": "open", "priority": ["P1"]}}
    r = await world.client.post("/api/v1/ticket-views", json=view, headers=ben)
    assert r.status_code == 201
    view_id = r.json()["id"]
    assert r.json()["query"]["priority"] == ["P1"]
    again = await world.client.post("/api/v1/ticket-views", json=view, headers=ben)
    assert again.status_code == 409
    assert (await world.client.get("/api/v1/ticket-views", headers=anna)).json()["items"] == []
    assert (
        await world.client.delete(f"/api/v1/ticket-views/{view_id}", headers=anna)
    ).status_code == 404
    assert (
        await world.client.delete(f"/api/v1/ticket-views/{view_id}", headers=ben)
    ).status_code == 204
    assert (await world.client.get("/api/v1/ticket-views", headers=ben)).json()["items"] == []


async def test_bad_view_query_is_a_422(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/ticket-views",
        json={"name": "x", "query": {"sort": "drop table"}},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 422


async def test_contact_picker_offers_only_colleagues(world: Portal) -> None:
    r = await world.client.get("/api/v1/ticket-contacts", headers=await world.as_("ben"))
    assert {c["username"] for c in r.json()["items"]} == {"anna", "ben"}
    r = await world.client.get("/api/v1/ticket-contacts?q=ann", headers=await world.as_("ben"))
    assert [c["username"] for c in r.json()["items"]] == ["anna"]
    # A customer cannot browse another organization's people.
    r = await world.client.get(
        f"/api/v1/ticket-contacts?organization_id={world.orgs['globex']}",
        headers=await world.as_("ben"),
    )
    assert {c["username"] for c in r.json()["items"]} == {"anna", "ben"}
    r = await world.client.get(
        f"/api/v1/ticket-contacts?organization_id={world.orgs['globex']}",
        headers=await world.as_("erik"),
    )
    assert {c["username"] for c in r.json()["items"]} == {"carla", "dan"}
