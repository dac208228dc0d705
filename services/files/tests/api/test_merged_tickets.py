"""A duplicate merged into another ticket: its files follow its messages. The attachments
of its public messages are read through the ticket merged into, by whoever sees that
ticket; its case folders move there; an internal note's file stays with the desk."""

from __future__ import annotations

import uuid

import pytest
from files_harness import png, upload
from portal_harness import Portal

from portal_chassis.envelope import Envelope

pytestmark = pytest.mark.integration


async def _readable(world: Portal, file_id: str, user: str) -> bool:
    r = await world.client.get(f"/api/v1/files/{file_id}/content", headers=await world.as_(user))
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


async def test_the_moved_attachments_are_read_through_the_target(world: Portal) -> None:
    # Globex keeps tickets to the people on them: Dan sees his ticket, not Carla's.
    opened_with = (await upload(world, "carla", "photo.png", png())).json()["id"]
    replied_with = (await upload(world, "carla", "later.png", png())).json()["id"]
    note_file = (await upload(world, "erik", "analysis.png", png())).json()["id"]
    await world.settle()
    source = (await world.ticket("carla", attachment_ids=[opened_with]))["number"]
    target = (await world.ticket("dan", title="Printer jams, too"))["number"]
    erik = await world.as_("erik")
    for user, body, file_id, internal in (
        ("carla", "One more photo", replied_with, False),
        ("erik", "Known firmware issue", note_file, True),
    ):
        r = await world.client.post(
            f"/api/v1/tickets/{source}/articles",
            json={"body": body, "attachment_ids": [file_id], "internal": internal},
            headers=await world.as_(user),
        )
        assert r.status_code == 201, r.text
    folders = f"/api/v1/tickets/{source}/folders"
    await world.settle()
    folder = await world.client.post(folders, json={"name": "Logs"}, headers=erik)
    assert folder.status_code == 201, folder.text
    case_file = await world.client.post(
        f"{folders}/{folder.json()['id']}/files",
        files={"file": ("trace.png", png(50), "image/png")},
        headers=erik,
    )
    assert case_file.status_code == 201, case_file.text
    assert not await _readable(world, opened_with, "dan")

    merged = await world.client.post(
        f"/api/v1/tickets/{source}/merge", json={"into": target}, headers=erik
    )
    assert merged.status_code == 200, merged.text
    await world.settle()

    # The target's files list (its thread's attachments) holds the moved files ...
    dan = await world.as_("dan")
    thread = await world.client.get(f"/api/v1/tickets/{target}/articles", headers=dan)
    listed = {f for a in thread.json()["items"] for f in a["attachment_ids"]}
    assert {opened_with, replied_with} <= listed and note_file not in listed
    # ... which Dan reads through it; the internal note's file stays with the desk.
    for file_id in (opened_with, replied_with):
        assert await _readable(world, file_id, "dan")
    assert not await _readable(world, note_file, "dan")
    # The case folders went along, with their files.
    tree = await world.client.get(f"/api/v1/tickets/{target}/folders", headers=dan)
    assert tree.status_code == 200, tree.text
    [logs] = tree.json()["folders"]
    assert logs["name"] == "Logs"
    assert [f["id"] for f in logs["files"]] == [case_file.json()["id"]]
    assert await _readable(world, case_file.json()["id"], "dan")
    assert (await world.client.get(folders, headers=erik)).json()["folders"] == []
    # Carla still reads the files she sent (they are hers); another organization does not.
    assert await _readable(world, opened_with, "carla")
    assert not await _readable(world, replied_with, "ben")


async def test_a_merge_delivered_twice_changes_nothing_more(world: Portal) -> None:
    source = (await world.ticket("ben"))["number"]
    target = (await world.ticket("anna"))["number"]
    await world.settle()
    erik = await world.as_("erik")
    for number in (source, target):  # a folder name both have: told apart on the move
        r = await world.client.post(
            f"/api/v1/tickets/{number}/folders", json={"name": "Logs"}, headers=erik
        )
        assert r.status_code == 201, r.text
    merged = await world.client.post(
        f"/api/v1/tickets/{source}/merge", json={"into": target}, headers=erik
    )
    assert merged.status_code == 200, merged.text
    await world.settle()
    names = ["Logs", f"Logs ({source})"]
    base = f"/api/v1/tickets/{target}/folders"
    tree = (await world.client.get(base, headers=erik)).json()
    assert sorted(f["name"] for f in tree["folders"]) == names

    [event] = await world.events("tickets.ticket.merged")
    again = Envelope.model_validate(event).model_copy(update={"id": uuid.uuid4()})
    await world.files.dispatcher(again)
    tree = (await world.client.get(base, headers=erik)).json()
    assert sorted(f["name"] for f in tree["folders"]) == names
