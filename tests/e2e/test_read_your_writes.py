"""Read-your-writes across services: a ticket's sub-resources owned by other services
answer the moment the ticket exists, however late its events reach them. The events are
held for the whole test body, so nothing here passes by timing luck."""

from __future__ import annotations

import asyncio

import pytest
from portal_harness import Portal
from prometheus_client import REGISTRY

pytestmark = pytest.mark.integration


def _fetches(service: str, outcome: str) -> float:
    value = REGISTRY.get_sample_value(
        "portal_read_through_fetches_total",
        {"service": service, "owner": "tickets", "outcome": outcome},
    )
    return value or 0.0


async def test_case_folders_answer_right_after_the_ticket_is_created(world: Portal) -> None:
    ben, anna, carla = [await world.as_(u) for u in ("ben", "anna", "carla")]
    found_before = _fetches("files", "found")
    async with world.holding("files", "files.directory.ticket"):
        number = (await world.ticket("ben", description="Logs follow."))["number"]
        folders = f"/api/v1/tickets/{number}/folders"

        r = await world.client.post(folders, json={"name": "Logs"}, headers=ben)
        assert r.status_code == 201, r.text
        folder_id = r.json()["id"]
        r = await world.client.post(
            f"{folders}/{folder_id}/files",
            files={"file": ("boot.txt", b"kernel panic\n", "text/plain")},
            headers=ben,
        )
        assert r.status_code == 201, r.text
        file_id = r.json()["id"]

        # A colleague of an organization-wide organization sees the folder and its file;
        # someone of another organization does not, exactly as for an unknown ticket.
        r = await world.client.get(folders, headers=anna)
        assert r.status_code == 200, r.text
        assert [f["name"] for f in r.json()["folders"]] == ["Logs"]
        r = await world.client.get(f"/api/v1/files/{file_id}/content", headers=anna)
        assert r.status_code == 200 and r.content == b"kernel panic\n"
        assert (await world.client.get(folders, headers=carla)).status_code == 404
        assert (await world.client.get(f"/api/v1/files/{file_id}", headers=carla)).status_code == (
            404
        )
        # A ticket that does not exist is still unknown.
        r = await world.client.get("/api/v1/tickets/T999999/folders", headers=ben)
        assert r.status_code == 404
        # The files service had not heard of the ticket: it asked, once.
        assert _fetches("files", "found") == found_before + 1
    await world.settle()

    # The held event, delivered late, changes nothing that was already true.
    r = await world.client.get(folders, headers=anna)
    assert [f["name"] for f in r.json()["folders"]] == ["Logs"]
    assert (await world.client.get(folders, headers=carla)).status_code == 404


async def _replies(world: Portal, username: str, number: str) -> list[str]:
    r = await world.client.get("/api/v1/notifications", headers=await world.as_(username))
    assert r.status_code == 200, r.text
    return [n["body"] for n in r.json()["items"] if n["ticket_number"] == number]


async def test_a_follower_of_a_brand_new_ticket_hears_its_first_reply(world: Portal) -> None:
    # The notify service hears nothing of the ticket itself for the whole block: without
    # asking the tickets service, the follow and the reply would be retried into the
    # dead-letter queue and Anna would never hear of the answer.
    found_before = _fetches("notify", "found")
    async with world.holding("notify", "notify.directory.ticket"):
        number = (await world.ticket("ben"))["number"]
        r = await world.client.put(
            f"/api/v1/tickets/{number}/follow", headers=await world.as_("anna")
        )
        assert r.status_code == 200, r.text
        r = await world.client.post(
            f"/api/v1/tickets/{number}/articles",
            json={"body": "Please restart it."},
            headers=await world.as_("erik"),
        )
        assert r.status_code == 201, r.text
        # Waits for a condition, not for time: the notice is there once the reply's event
        # is routed; the bound only ends a failing run.
        deadline = asyncio.get_running_loop().time() + 90
        while not await _replies(world, "anna", number):
            assert asyncio.get_running_loop().time() < deadline, "Anna heard nothing"
            await asyncio.sleep(0.05)
        assert _fetches("notify", "found") > found_before
    await world.settle()
    assert await _replies(world, "anna", number) == ["Please restart it."]
    assert await _replies(world, "ben", number) == ["Please restart it."]
