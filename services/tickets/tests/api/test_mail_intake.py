"""Mails taken in by the e-mail channel: threaded, opened, follow-ups, never foreign,
never twice, never from machines (the real services in one process)."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from email.message import EmailMessage

import pytest
from PIL import Image
from portal_harness import Portal

from portal_chassis.reply_address import ReplyTarget, reply_address
from portal_tickets.mail_intake.attachments import MailAttachments
from portal_tickets.mail_intake.delivery import Unprocessable
from portal_tickets.mail_intake.reading import read_mail
from portal_tickets.mail_intake.service import Intake, Outcome
from portal_tickets.mail_intake.tasks import forget_raw_mails

pytestmark = pytest.mark.integration

SUPPORT = "support@portal.test"
KEYS = ["current-key", "older-key"]


def intake(world: Portal, keys: list[str] = KEYS) -> Intake:
    runtime = world.tickets
    return Intake(
        uow=runtime.uow,
        settings=runtime.settings,
        support_address=SUPPORT,
        signing_keys=keys,
        limiter=runtime.limiter,
    )


def mail(
    sender: str, body: str, *, to: str = SUPPORT, subject: str = "Printer jams", **headers: str
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{sender.capitalize()} <{sender}@example.com>"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    for name, value in headers.items():
        msg[name.replace("_", "-")] = value
    msg.set_content(body)
    return msg.as_bytes()


def replying_to(world: Portal, user: str, number: str, key: str = KEYS[0]) -> str:
    target = ReplyTarget(ticket_number=number, user_id=uuid.UUID(world.ids[user]))
    return reply_address(SUPPORT, target, [key])


async def thread(world: Portal, number: str, user: str = "erik") -> list[dict]:
    r = await world.client.get(f"/api/v1/tickets/{number}/articles", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()["items"]


async def test_a_mail_from_a_customer_opens_a_ticket_in_their_organization(world: Portal) -> None:
    raw = mail("ben", "The printer on floor 2 jams on every page.", subject="AW: Printer jams")
    assert await intake(world).take_in(raw, "test") is Outcome.OPENED
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert created["channel"] == "email" and created["creator_id"] == world.ids["ben"]
    number = created["number"]
    ticket = (
        await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_("anna"))
    ).json()
    assert ticket["title"] == "Printer jams" and ticket["channel"] == "email"
    assert ticket["organization"]["id"] == world.orgs["acme"] and ticket["priority"] == "P4"
    assert "floor 2" in ticket["description"]
    [opening] = await thread(world, number)
    assert opening["channel"] == "email" and opening["author"]["id"] == world.ids["ben"]


async def test_a_reply_lands_in_its_ticket_once_without_quotes(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    body = (
        "It works again, thanks!\n\n"
        "On Mon, 7 Dec 2026 at 10:00, Portal wrote:\n> Please restart it."
    )
    raw = mail("ben", body, to=replying_to(world, "ben", number))
    assert await intake(world).take_in(raw, "test") is Outcome.THREADED
    assert await intake(world).take_in(raw, "test") is Outcome.DUPLICATE  # fetched again
    [message] = await thread(world, number)
    assert message["body"] == "It works again, thanks!"
    assert message["channel"] == "email" and message["internal"] is False


async def test_an_older_key_still_verifies_and_agents_may_write_internal_notes(
    world: Portal,
) -> None:
    number = (await world.ticket("ben"))["number"]
    to = replying_to(world, "erik", number, key=KEYS[1])
    raw = mail("erik", "#internal\nCustomer's printer is out of warranty.", to=to)
    assert await intake(world).take_in(raw, "test") is Outcome.THREADED
    [note] = await thread(world, number)
    assert note["internal"] is True and note["body"] == "Customer's printer is out of warranty."
    assert await thread(world, number, user="ben") == []  # customers never see it


async def test_a_reply_address_of_someone_else_or_a_retired_key_never_threads(
    world: Portal,
) -> None:
    number = (await world.ticket("ben"))["number"]
    # Carla (another organization) answers with Ben's reply address: a new ticket of hers.
    stolen = mail("carla", "Let me in", to=replying_to(world, "ben", number))
    assert await intake(world).take_in(stolen, "test") is Outcome.OPENED
    # Ben's own address, signed with a key no longer listed: a new ticket too.
    retired = mail("ben", "Still broken", to=replying_to(world, "ben", number, key="retired"))
    assert await intake(world).take_in(retired, "test") is Outcome.OPENED
    assert await thread(world, number) == []


async def test_a_reply_to_a_closed_ticket_opens_a_follow_up(world: Portal) -> None:
    ben = await world.as_("ben")
    number = (await world.ticket("ben"))["number"]
    assert (await world.client.post(f"/api/v1/tickets/{number}/close", headers=ben)).is_success
    raw = mail("ben", "It is broken again.", to=replying_to(world, "ben", number))
    assert await intake(world).take_in(raw, "test") is Outcome.FOLLOW_UP
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert created["follow_up_of"] == number and created["number"] != number
    follow_up = (await world.client.get(f"/api/v1/tickets/{created['number']}", headers=ben)).json()
    assert follow_up["follow_up_of"] == number


async def test_a_reply_within_the_reopening_window_reopens(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    erik = await world.as_("erik")
    await world.client.patch(f"/api/v1/tickets/{number}", json={"status": "resolved"}, headers=erik)
    raw = mail("ben", "Not fixed after all.", to=replying_to(world, "ben", number))
    assert await intake(world).take_in(raw, "test") is Outcome.THREADED
    ticket = (await world.client.get(f"/api/v1/tickets/{number}", headers=erik)).json()
    assert ticket["status"] == "open"


async def test_unknown_senders_are_rejected_and_machines_suppressed(world: Portal) -> None:
    before = len(await world.events("tickets.ticket.created"))
    stranger = mail("stranger", "Hello?")
    assert await intake(world).take_in(stranger, "test") is Outcome.REJECTED
    [rejected] = await world.events("tickets.mail.rejected")
    assert rejected["data"]["address"] == "stranger@example.com"
    vacation = mail("ben", "I am out of office.", Auto_Submitted="auto-replied")
    assert await intake(world).take_in(vacation, "test") is Outcome.SUPPRESSED
    assert len(await world.events("tickets.ticket.created")) == before
    assert len(await world.events("tickets.mail.rejected")) == 1  # machines get no answer


async def test_html_only_mail_becomes_clean_text_and_garbage_is_unprocessable(
    world: Portal,
) -> None:
    msg = EmailMessage()
    msg["From"] = "ben@example.com"
    msg["To"] = SUPPORT
    msg["Subject"] = "Screen flickers"
    msg.set_content(
        "<html><body><p>The <b>screen</b> flickers.</p><script>alert(1)</script></body></html>",
        subtype="html",
    )
    assert await intake(world).take_in(msg.as_bytes(), "test") is Outcome.OPENED
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    ticket = (
        await world.client.get(
            f"/api/v1/tickets/{created['number']}", headers=await world.as_("ben")
        )
    ).json()
    assert "The screen flickers." in ticket["description"]
    assert "<" not in ticket["description"] and "alert" not in ticket["description"]
    with pytest.raises(Unprocessable):
        await intake(world).take_in(b"\x00\x01 not a mail", "test")


async def test_attachments_are_stored_by_the_files_service_and_refusals_named(
    world: Portal,
) -> None:
    runtime = world.tickets
    sink = MailAttachments(
        lambda: runtime.http_client("files", "", timeout=30.0),
        runtime.settings.urls_of("files"),
        most=2,
    )
    msg = EmailMessage()
    msg["From"] = "ben@example.com"
    msg["To"] = SUPPORT
    msg["Subject"] = "Error screen"
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    msg.set_content("See the screenshot.")
    msg.add_attachment(png(), maintype="image", subtype="png", filename="screen.png")
    msg.add_attachment(
        b"MZ\x90\x00" * 64, maintype="application", subtype="octet-stream", filename="tool.exe"
    )
    msg.add_attachment(b"log line\n", maintype="text", subtype="plain", filename="third.log")
    take = dataclasses.replace(intake(world), store_files=sink)
    assert await take.take_in(msg.as_bytes(), "test") is Outcome.OPENED
    await world.settle()
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert len(created["file_ids"]) == 1
    refused = {f["filename"]: f["reason"] for f in created["refused_files"]}
    assert set(refused) == {"tool.exe", "third.log"} and "more than 2" in refused["third.log"]
    ben = await world.as_("ben")
    [opening] = await thread(world, created["number"], user="ben")
    assert opening["attachment_ids"] == created["file_ids"]
    assert "tool.exe" in opening["body"] and "third.log" in opening["body"]
    stored = await world.client.get(f"/api/v1/files/{created['file_ids'][0]}", headers=ben)
    assert stored.status_code == 200 and stored.json()["content_type"] == "image/png"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(out, format="PNG")
    return out.getvalue()


async def test_a_rejected_mail_is_reprocessed_once_its_sender_is_known(world: Portal) -> None:
    raw = mail("newcomer", "Please help with the login.", subject="Login")
    assert await intake(world).take_in(raw, "test") is Outcome.REJECTED
    async with world.tickets.uow() as uow:
        [record] = [
            r for r in [await uow.mail.by_message_id(read_mail(raw).message_id)] if r is not None
        ]
    assert record.outcome == "rejected" and record.raw == raw
    await world.user("newcomer", ["customer"], world.orgs["acme"])
    await world.settle()

    env = {
        **os.environ,
        "TICKETS_DATABASE_URL": world.tickets.database_url,
        "PORTAL_REDIS_URL": world.tickets.settings.portal.redis_url or "",
        "PORTAL_MAIL_SIGNING_KEYS": ",".join(KEYS),
    }
    command = [sys.executable, "-m", "portal_ops.cli", "mail", "reprocess", str(record.id)]
    done = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().endswith(": opened")
    again = await asyncio.to_thread(
        subprocess.run, command, env=env, capture_output=True, text=True, timeout=120
    )
    assert again.stdout.strip().endswith(": duplicate")  # still one ticket
    created = [
        e for e in await world.events("tickets.ticket.created") if e["data"]["title"] == "Login"
    ]
    assert len(created) == 1 and created[0]["data"]["channel"] == "email"


async def test_raw_mails_are_forgotten_after_the_keeping_time(world: Portal) -> None:
    raw = mail("ben", "Old news.")
    assert await intake(world).take_in(raw, "test") is Outcome.OPENED
    message_id = read_mail(raw).message_id
    async with world.tickets.uow() as uow:
        record = await uow.mail.by_message_id(message_id)
        assert record is not None
        record.received_at -= timedelta(days=world.tickets.settings.inbound_mail_keep_days + 1)
        await uow.commit()
    assert await forget_raw_mails.fn(world.tickets) == 1
    async with world.tickets.uow() as uow:
        record = await uow.mail.by_message_id(message_id)
        assert record is not None and record.raw is None and record.outcome == "opened"
    assert await intake(world).take_in(raw, "test") is Outcome.DUPLICATE  # still known


async def test_two_workers_taking_in_the_same_mail_add_one_message(world: Portal) -> None:
    number = (await world.ticket("ben"))["number"]
    reply = mail("ben", "Same mail, fetched twice.", to=replying_to(world, "ben", number))
    new = mail("anna", "A new request, fetched twice.", subject="Twice fetched")
    for raw in (reply, new):
        outcomes = await asyncio.gather(
            intake(world).take_in(raw, "imap:a"), intake(world).take_in(raw, "imap:b")
        )
        assert Outcome.DUPLICATE in outcomes, outcomes
        assert {Outcome.THREADED, Outcome.OPENED} & set(outcomes), outcomes
    assert len(await thread(world, number)) == 1
    created = [
        e
        for e in await world.events("tickets.ticket.created")
        if e["data"]["title"] == "Twice fetched"
    ]
    assert len(created) == 1
