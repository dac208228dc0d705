"""Attachments across services: a message sent the instant after its upload, and files
the service desk attaches to a public answer becoming readable by the customer."""

from __future__ import annotations

from portal_harness import Portal


async def _upload(world: Portal, username: str, name: str) -> str:
    r = await world.client.post(
        "/api/v1/files",
        files={"file": (name, b"line one\nline two\n", "text/plain")},
        headers=await world.as_(username),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def test_a_ticket_sent_right_after_the_upload_is_accepted(sqlite_world: Portal) -> None:
    world = sqlite_world
    file_id = await _upload(world, "ben", "log.txt")
    # No waiting for events: the tickets service waits briefly for the file itself.
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "Scanner offline", "priority": "P3", "attachment_ids": [file_id]},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    reply_file = await _upload(world, "ben", "more.txt")
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "One more log", "attachment_ids": [reply_file]},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text


async def test_a_file_that_never_existed_is_still_refused(sqlite_world: Portal) -> None:
    world = sqlite_world
    r = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "Scanner offline",
            "priority": "P3",
            "attachment_ids": ["00000000-0000-4000-8000-000000000001"],
        },
        headers=await world.as_("ben"),
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "attachment_ids.0"


async def test_staff_attachments_on_public_answers_reach_the_customer(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    public = await _upload(world, "erik", "fix.txt")
    internal = await _upload(world, "erik", "notes.txt")
    erik = await world.as_("erik")
    await world.settle()
    for body, file_id, is_internal in (("Try this", public, False), ("Note", internal, True)):
        r = await world.client.post(
            f"/api/v1/tickets/{number}/articles",
            json={"body": body, "attachment_ids": [file_id], "internal": is_internal},
            headers=erik,
        )
        assert r.status_code == 201, r.text
    await world.settle()
    ben = await world.as_("ben")
    r = await world.client.get(f"/api/v1/files/{public}/content", headers=ben)
    assert r.status_code == 200 and r.content == b"line one\nline two\n"
    assert (await world.client.get(f"/api/v1/files/{internal}", headers=ben)).status_code == 404
    # Another organization still cannot read it.
    carla = await world.as_("carla")
    assert (await world.client.get(f"/api/v1/files/{public}", headers=carla)).status_code == 404
