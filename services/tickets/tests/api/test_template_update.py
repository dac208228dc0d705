"""Editing a template: every field of the form, the guide replaced as a whole."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def test_admin_changes_group_category_and_guide(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/ticket-templates",
        json={
            "group": "incident_report",
            "name": "Printer broken",
            "guide": [{"id": "model", "label": "Which model?"}],
        },
        headers=await world.admin(),
    )
    assert r.status_code == 201 and r.json()["category"] == "incident"
    template_id = r.json()["id"]
    r = await world.client.patch(
        f"/api/v1/ticket-templates/{template_id}",
        json={
            "group": "service_request",
            "category": "question",
            "guide": [{"id": "where", "label": "Where?", "type": "long_text", "required": True}],
        },
        headers=await world.admin(),
    )
    assert r.status_code == 200, r.text
    changed = r.json()
    assert changed["group"] == "service_request" and changed["category"] == "question"
    assert changed["name"] == "Printer broken"
    assert [q["id"] for q in changed["guide"]] == ["where"]
    r = await world.client.patch(
        f"/api/v1/ticket-templates/{template_id}",
        json={"category": "complaint"},
        headers=await world.admin(),
    )
    assert r.status_code == 422
    r = await world.client.patch(
        f"/api/v1/ticket-templates/{template_id}",
        json={"group": "service_request"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 404


async def test_german_wording_is_kept_changed_and_removed(world: Portal) -> None:
    admin = await world.admin()
    r = await world.client.post(
        "/api/v1/ticket-templates",
        json={
            "group": "service_request",
            "name": "New laptop",
            "description": "Order a laptop.",
            "name_de": "Neuer Laptop",
            "description_de": "Einen Laptop bestellen.",
        },
        headers=admin,
    )
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["name_de"], created["description_de"]) == (
        "Neuer Laptop",
        "Einen Laptop bestellen.",
    )
    path = f"/api/v1/ticket-templates/{created['id']}"
    r = await world.client.patch(path, json={"name_de": "Neues Notebook"}, headers=admin)
    assert r.json()["name_de"] == "Neues Notebook"
    assert r.json()["description_de"] == "Einen Laptop bestellen."  # untouched
    r = await world.client.patch(path, json={"description_de": ""}, headers=admin)
    assert r.json()["description_de"] is None and r.json()["name_de"] == "Neues Notebook"
    r = await world.client.patch(path, json={"name_de": "x" * 201}, headers=admin)
    assert r.status_code == 422
