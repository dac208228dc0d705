"""The tickets service's directory of files, fed by `files.file.stored`."""

from __future__ import annotations

import uuid

import pytest
from files_harness import png
from portal_harness import Portal

from portal_chassis.metrics import EVENTS_FAILED
from portal_tickets.directory.models import KnownFile

pytestmark = pytest.mark.integration


def _failures() -> float:
    return EVENTS_FAILED.labels("tickets", "tickets.directory.file")._value.get()


async def test_an_upload_without_an_account_is_known_and_attachable(world: Portal) -> None:
    failed_before = _failures()
    ben = await world.as_("ben")
    r = await world.client.post(
        "/api/v1/exchanges", json={"name": "Logs for the hotline"}, headers=ben
    )
    assert r.status_code == 201, r.text
    # Someone without an account uploads through the link: the event has no uploader.
    up = await world.client.put(
        f"/api/v1/exchanges/{r.json()['token']}/files/trace.png", content=png(2_000)
    )
    assert up.status_code == 201, up.text
    await world.settle()
    [stored] = [
        e
        for e in await world.events("files.file.stored", service="files")
        if e["data"]["id"] == up.json()["id"]
    ]
    assert stored["data"]["uploader_id"] is None

    assert _failures() == failed_before
    async with world.tickets.session_factory() as s:
        known = await s.get(KnownFile, uuid.UUID(up.json()["id"]))
    assert known is not None and known.uploader_id is None
    assert str(known.organization_id) == world.orgs["acme"]

    # Events after it still flow: the file can be attached, and the desk hears of it.
    ticket = await world.ticket("ben", attachment_ids=[up.json()["id"]])
    await world.settle()
    notes = await world.client.get("/api/v1/notifications", headers=await world.as_("erik"))
    assert ("ticket_created", ticket["number"]) in {
        (n["kind"], n["ticket_number"]) for n in notes.json()["items"]
    }
