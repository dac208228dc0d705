"""A customer of another organization learns nothing about a ticket: every route is 404."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_every_ticket_route_is_404_for_another_organization(world: Portal) -> None:
    t = await world.ticket("ben", description="secret plans")
    n = t["number"]
    carla = await world.as_("carla")
    calls = [
        ("GET", f"/api/v1/tickets/{n}", None),
        ("PATCH", f"/api/v1/tickets/{n}", {"priority": "P1"}),
        ("GET", f"/api/v1/tickets/{n}/articles", None),
        ("POST", f"/api/v1/tickets/{n}/articles", {"body": "hi"}),
        ("POST", f"/api/v1/tickets/{n}/escalate", {"body": "now"}),
        ("POST", f"/api/v1/tickets/{n}/close", None),
        ("POST", f"/api/v1/tickets/{n}/cancel", None),
    ]
    missing = await world.client.get("/api/v1/tickets/T999999", headers=carla)
    for method, path, body in calls:
        r = await world.client.request(method, path, json=body, headers=carla)
        assert r.status_code == 404, (method, path, r.status_code)
        assert "secret" not in r.text and "Acme" not in r.text
        # Indistinguishable from a ticket that does not exist.
        assert r.json()["title"] == missing.json()["title"]

    for scope in ("mine", "organization"):
        listed = await world.client.get(f"/api/v1/tickets?scope={scope}", headers=carla)
        assert n not in listed.text
        searched = await world.client.get(f"/api/v1/tickets?q={n}&scope={scope}", headers=carla)
        assert searched.json()["items"] == []
        searched = await world.client.get(f"/api/v1/tickets?q=secret&scope={scope}", headers=carla)
        assert searched.json()["items"] == []
    summary = await world.client.get("/api/v1/tickets/summary", headers=carla)
    assert summary.json()["total"] == 0

    unchanged = await world.client.get(f"/api/v1/tickets/{n}", headers=await world.as_("ben"))
    assert unchanged.json()["priority"] == t["priority"]
    assert unchanged.json()["portal_status"] == "in_progress"
