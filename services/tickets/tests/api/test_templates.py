"""Templates with conversation guides, and the subject-area taxonomy."""

from __future__ import annotations

import pytest
from portal_harness import Portal

pytestmark = pytest.mark.integration

GUIDE = [
    {
        "id": "machine",
        "label": "Which machine?",
        "type": "choice",
        "required": True,
        "choices": ["Press 1", "Press 2"],
    },
    {"id": "since", "label": "Since when?", "type": "date", "required": True},
    {"id": "count", "label": "How many parts were lost?", "type": "number"},
    {"id": "details", "label": "What happened?", "type": "long_text"},
    {"id": "serial", "label": "Serial number", "type": "text"},
]


async def _template(world: Portal, **extra) -> dict:
    r = await world.client.post(
        "/api/v1/ticket-templates",
        json={"group": "incident_report", "name": "Machine down", "guide": GUIDE, **extra},
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_guide_answers_are_validated_and_stored(world: Portal) -> None:
    template = await _template(world)
    assert template["category"] == "incident"
    ok = await world.ticket(
        "ben",
        template_id=template["id"],
        guide_answers={"machine": "Press 2", "since": "2026-11-20", "count": "12"},
    )
    assert [(a["id"], a["value"]) for a in ok["guide_answers"]] == [
        ("machine", "Press 2"),
        ("since", "2026-11-20"),
        ("count", 12.0),
    ]
    bad = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "x",
            "template_id": template["id"],
            "guide_answers": {
                "machine": "Press 9",
                "count": "many",
                "colour": "red",
                "serial": "SN\x1b[1",
                "details": "Log:\x00 line\nnext",
            },
        },
        headers=await world.as_("ben"),
    )
    assert bad.status_code == 422
    fields = {e["field"]: e["code"] for e in bad.json()["errors"]}
    assert fields == {
        "guide_answers.machine": "invalid",
        "guide_answers.since": "required",
        "guide_answers.count": "invalid",
        "guide_answers.colour": "unknown",
        "guide_answers.serial": "control_characters",
    }


async def test_unknown_template_is_a_422(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "x", "template_id": "00000000-0000-0000-0000-000000000000"},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "template_id"


async def test_templates_can_be_limited_to_organizations(world: Portal) -> None:
    only_acme = await _template(world, organization_ids=[world.orgs["acme"]])
    ben = await world.client.get("/api/v1/ticket-templates", headers=await world.as_("ben"))
    carla = await world.client.get("/api/v1/ticket-templates", headers=await world.as_("carla"))
    assert only_acme["id"] in [t["id"] for t in ben.json()["items"]]
    assert only_acme["id"] not in [t["id"] for t in carla.json()["items"]]
    r = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "x",
            "template_id": only_acme["id"],
            "guide_answers": {"machine": "Press 1", "since": "2026-01-01"},
        },
        headers=await world.as_("carla"),
    )
    assert r.status_code == 422


async def test_only_admins_write_templates_and_taxonomy(world: Portal) -> None:
    for user in ("ben", "erik"):
        r = await world.client.post(
            "/api/v1/ticket-templates",
            json={"group": "service_request", "name": "x"},
            headers=await world.as_(user),
        )
        assert r.status_code == 404
        r = await world.client.put(
            "/api/v1/ticket-taxonomy/Software",
            json={"name": "Software"},
            headers=await world.as_(user),
        )
        assert r.status_code == 404


async def test_bad_guides_are_refused(world: Portal) -> None:
    for guide in (
        [{"id": "a", "label": "A", "type": "choice"}],
        [{"id": "a", "label": "A"}, {"id": "a", "label": "B"}],
        [{"id": "Bad Id", "label": "A"}],
    ):
        r = await world.client.post(
            "/api/v1/ticket-templates",
            json={"group": "incident_report", "name": "x", "guide": guide},
            headers=await world.admin(),
        )
        assert r.status_code == 422


async def test_subject_area_and_subtype_come_from_the_taxonomy(world: Portal) -> None:
    r = await world.client.put(
        "/api/v1/ticket-taxonomy/Robotics",
        json={"name": "Robotics", "subtypes": ["Gripper", "Vision"]},
        headers=await world.admin(),
    )
    assert r.status_code == 200
    ok = await world.ticket("ben", subject_area="Robotics", subtype="Vision")
    assert (ok["subject_area"], ok["subtype"]) == ("Robotics", "Vision")
    for body, field in (
        ({"subject_area": "Cooking"}, "subject_area"),
        ({"subject_area": "Robotics", "subtype": "Laser"}, "subtype"),
        ({"subtype": "Vision"}, "subtype"),
    ):
        r = await world.client.post(
            "/api/v1/tickets", json={"title": "x", **body}, headers=await world.as_("ben")
        )
        assert r.status_code == 422 and r.json()["errors"][0]["field"] == field
    taxonomy = await world.client.get("/api/v1/ticket-taxonomy", headers=await world.as_("ben"))
    assert taxonomy.json()["items"] == [
        {
            "name": "Robotics",
            "name_de": None,
            "subtypes": ["Gripper", "Vision"],
            "subtypes_de": {},
            "active": True,
        }
    ]
