"""Opening a ticket is one event and one notice per recipient, with or without
attachments; the attachments still reach the files service and show on the ticket."""

from __future__ import annotations

from collections import Counter

import pytest
from portal_fixtures import SmtpSink
from portal_harness import Portal

pytestmark = pytest.mark.integration


async def _upload(world: Portal, username: str, name: str) -> str:
    r = await world.client.post(
        "/api/v1/files",
        files={"file": (name, b"paper jam at tray 2\n", "text/plain")},
        headers=await world.as_(username),
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


async def _kinds(world: Portal, username: str, number: str) -> list[str]:
    r = await world.client.get("/api/v1/notifications", headers=await world.as_(username))
    assert r.status_code == 200, r.text
    return [n["kind"] for n in r.json()["items"] if n["ticket_number"] == number]


async def test_a_ticket_with_attachments_sends_one_notice_and_one_mail_per_recipient(
    mail_world: Portal, smtp_sink: SmtpSink
) -> None:
    world = mail_world
    file_id = await _upload(world, "ben", "jam.txt")
    await world.settle()
    # Ben opens it for his colleague Anna: she (the contact) and the agents' queue (Erik)
    # hear of it; Ben, who did it, does not.
    r = await world.client.post(
        "/api/v1/tickets",
        json={
            "title": "Printer jams",
            "description": "Paper everywhere since this morning.",
            "priority": "P3",
            "contact_id": world.ids["anna"],
            "attachment_ids": [file_id],
        },
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    await world.settle()

    for recipient in ("anna", "erik"):
        assert await _kinds(world, recipient, number) == ["ticket_created"], recipient
    assert await _kinds(world, "ben", number) == []
    about = [m for m in smtp_sink.mails() if number in m["Subject"]]
    assert Counter(m["To"] for m in about) == {"anna@example.com": 1, "erik@example.com": 1}
    assert all("New ticket" in m["Subject"] for m in about), [m["Subject"] for m in about]
    assert len(await world.events("tickets.ticket.created")) == 1

    # The attachment is on the ticket, and the files service knows it belongs to it:
    # Anna, who did not upload it, reads it as one of the ticket's people.
    anna = await world.as_("anna")
    articles = await world.client.get(f"/api/v1/tickets/{number}/articles", headers=anna)
    assert articles.status_code == 200, articles.text
    attached = [f for item in articles.json()["items"] for f in item["attachment_ids"]]
    assert attached == [file_id]
    r = await world.client.get(f"/api/v1/files/{file_id}/content", headers=anna)
    assert r.status_code == 200 and r.content == b"paper jam at tray 2\n"
    # Someone of another organization still cannot.
    carla = await world.as_("carla")
    assert (await world.client.get(f"/api/v1/files/{file_id}", headers=carla)).status_code == 404
