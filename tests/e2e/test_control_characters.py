"""Control characters in single-line texts are refused by every service with the same
field error (`control_characters`), whatever the text is for."""

from __future__ import annotations

import pytest
from portal_harness import PASSWORD, Portal

pytestmark = pytest.mark.integration

BAD = "Evil\x01name"


async def test_every_service_refuses_control_characters_in_names_and_titles(
    world: Portal,
) -> None:
    number = (await world.ticket("ben"))["number"]
    await world.settle()  # the files service learns about the ticket from its event
    cases = [
        ("POST", "/api/v1/tickets", "ben", {"title": BAD}),
        ("POST", "/api/v1/tickets", "ben", {"title": "ok", "product": "Line\nbreak"}),
        ("PATCH", f"/api/v1/tickets/{number}", "erik", {"subject_area": BAD}),
        ("POST", "/api/v1/ticket-views", "ben", {"name": BAD}),
        ("POST", "/api/v1/ticket-templates", "admin", {"group": "incident_report", "name": BAD}),
        ("POST", "/api/v1/admin/organizations", "admin", {"name": BAD}),
        (
            "POST",
            "/api/v1/admin/users",
            "admin",
            {
                "display_name": BAD,
                "username": "mallory",
                "email": "mallory@example.com",
                "roles": ["customer"],
                "password": PASSWORD,
            },
        ),
        ("POST", "/api/v1/faq/categories", "erik", {"name": BAD}),
        ("POST", f"/api/v1/tickets/{number}/folders", "erik", {"name": BAD}),
    ]
    for method, path, user, body in cases:
        headers = await (world.admin() if user == "admin" else world.as_(user))
        r = await world.client.request(method, path, json=body, headers=headers)
        assert r.status_code == 422, (path, r.text)
        assert r.headers["content-type"] == "application/problem+json"
        codes = {e["code"] for e in r.json()["errors"]}
        assert "control_characters" in codes, (path, r.text)
