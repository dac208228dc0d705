"""Full-text search over number, title, description and correspondence, on both
database backends (PostgreSQL full text; SQLite FTS5 in all-in-one mode)."""

from __future__ import annotations

import pytest
from portal_harness import Portal


async def _found(world: Portal, user: str, q: str) -> set[str]:
    r = await world.client.get(
        "/api/v1/tickets", params={"q": q, "scope": "organization"}, headers=await world.as_(user)
    )
    assert r.status_code == 200, r.text
    return {t["number"] for t in r.json()["items"]}


async def _check_search(world: Portal) -> None:
    printer = await world.ticket(
        "ben", title="Drucker im Lager druckt nicht", description="Papierstau"
    )
    robot = await world.ticket(
        "ben", title="Robot arm shaking", description="The gripper is loose."
    )
    erik = await world.as_("erik")
    await world.client.post(
        f"/api/v1/tickets/{robot['number']}/articles",
        json={"body": "Please send the calibration protocol."},
        headers=erik,
    )
    await world.client.post(
        f"/api/v1/tickets/{robot['number']}/articles",
        json={"body": "Suspect a warranty fraud", "internal": True},
        headers=erik,
    )
    assert await _found(world, "ben", "Drucker") == {printer["number"]}
    assert await _found(world, "ben", "Druckers") == {printer["number"]}  # German stemming
    assert await _found(world, "ben", "grippers") == {robot["number"]}  # English stemming
    assert await _found(world, "ben", "Lag*") == {printer["number"]}  # prefix wildcard
    assert await _found(world, "ben", "calibration") == {robot["number"]}  # a public reply
    assert await _found(world, "ben", "drucker gripper") == set()  # every word must match
    assert await _found(world, "ben", printer["number"]) == {printer["number"]}
    # Internal notes: found by the service desk, invisible to customers.
    assert await _found(world, "ben", "warranty") == set()
    assert await _found(world, "erik", "warranty") == {robot["number"]}
    # Another organization finds nothing of Acme's.
    assert await _found(world, "carla", "Drucker") == set()
    # Quotes, brackets and colons are separators, not query syntax (and never an error).
    for q in ('"Drucker"', "(Drucker)", "Drucker:"):
        assert await _found(world, "ben", q) == {printer["number"]}
    # A column filter typed by a customer cannot reach the internal notes.
    assert await _found(world, "ben", "{internal_text}: warranty") == set()
    assert await _found(world, "ben", "internal_text:warranty") == set()
    assert await _found(world, "ben", "***") == {printer["number"], robot["number"]}


@pytest.mark.integration
async def test_search_on_postgresql(world: Portal) -> None:
    await _check_search(world)


async def test_search_on_sqlite(sqlite_world: Portal) -> None:
    await _check_search(sqlite_world)
