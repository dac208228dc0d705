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
