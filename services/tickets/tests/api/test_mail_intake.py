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

from portal_chassis.ratelimit import Limit, MemoryRateLimiter
from portal_chassis.reply_address import ReplyTarget, reply_address
from portal_tickets.directory.models import KnownUser
from portal_tickets.mail_intake import service
from portal_tickets.mail_intake.attachments import MailAttachments
from portal_tickets.mail_intake.delivery import Unprocessable
from portal_tickets.mail_intake.models import InboundMail as InboundRecord
from portal_tickets.mail_intake.reading import InboundMail, read_mail
from portal_tickets.mail_intake.service import Intake, Outcome, StoredFiles
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
    stored: list[str] = []

    async def sink(_user: KnownUser, inbound: InboundMail) -> StoredFiles:
        stored.append(inbound.message_id)
        await asyncio.sleep(0)  # lets the other worker run meanwhile
        return StoredFiles()

    def worker() -> Intake:
        return dataclasses.replace(intake(world), store_files=sink)

    for raw in (reply, new):
        outcomes = await asyncio.gather(
            worker().take_in(raw, "imap:a"), worker().take_in(raw, "imap:b")
        )
        assert Outcome.DUPLICATE in outcomes, outcomes
        assert {Outcome.THREADED, Outcome.OPENED} & set(outcomes), outcomes
        assert await worker().take_in(raw, "smtp") is Outcome.DUPLICATE  # delivered again
    # Only the worker that claimed the mail stored its files: no orphans.
    assert sorted(stored) == sorted(read_mail(raw).message_id for raw in (reply, new))
    assert len(await thread(world, number)) == 1
    created = [
        e
        for e in await world.events("tickets.ticket.created")
        if e["data"]["title"] == "Twice fetched"
    ]
    assert len(created) == 1


async def record_of(world: Portal, raw: bytes) -> InboundRecord:
    async with world.tickets.uow() as uow:
        record = await uow.mail.by_message_id(read_mail(raw).message_id)
    assert record is not None
    return record


async def test_control_characters_in_the_subject_are_dropped_not_retried(world: Portal) -> None:
    raw = mail("ben", "x", subject="Printer").replace(
        b"Subject: Printer", b"Subject: \x1b[31mPrinter\x00 jams\x07\tagain\x7f"
    )
    assert await intake(world).take_in(raw, "test") is Outcome.OPENED
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert created["title"] == "[31mPrinter jams again"
    # Nothing left of the subject: the first words the sender wrote name the ticket.
    words = "The badge reader at the north entrance beeps twice and stays red all day long"
    bare = mail("ben", words, subject="Badge").replace(b"Subject: Badge", b"Subject: Re: \x1b\x07")
    assert await intake(world).take_in(bare, "test") is Outcome.OPENED
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert words.startswith(created["title"]) and len(created["title"]) > 20


async def test_a_mail_that_cannot_become_a_ticket_is_refused_for_good(
    world: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Whatever slips past reading: an invalid title is a permanent refusal, not a retry.
    monkeypatch.setattr(service, "_title", lambda *_: "Broken\x1btitle")
    raw = mail("ben", "Hello")
    with pytest.raises(Unprocessable) as refused:
        await intake(world).take_in(raw, "test")
    assert "title" in str(refused.value)
    record = await record_of(world, raw)
    assert record.outcome == "failed" and record.reason and "title" in record.reason
    assert await intake(world).take_in(raw, "test") is Outcome.DUPLICATE  # known now


class FlakyFiles:
    """A files service that is away for the first `outages` mails handed to it."""

    def __init__(self, outages: int) -> None:
        self.outages = outages

    async def __call__(self, _user: KnownUser, _mail: InboundMail) -> StoredFiles:
        if self.outages:
            self.outages -= 1
            raise ConnectionError("files service away")
        return StoredFiles()


async def test_a_retried_mail_counts_once_against_the_sender_limit(
    world: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "SENDER_LIMIT", Limit(count=2, window_seconds=3600))
    files = FlakyFiles(outages=5)
    take = dataclasses.replace(intake(world), limiter=MemoryRateLimiter(), store_files=files)
    raw = mail("ben", "Retried while the files service is away.", subject="Retried")
    for _ in range(5):  # the mail stays with the sender or in the mailbox, tried again
        with pytest.raises(ConnectionError):
            await take.take_in(raw, "imap:a")
    assert await take.take_in(raw, "imap:a") is Outcome.OPENED
    # It counted once: one more mail fits in the limit of two.
    assert await take.take_in(mail("ben", "Another one."), "imap:a") is Outcome.OPENED


async def test_a_storm_of_mails_from_one_sender_is_stopped_at_the_limit(
    world: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "SENDER_LIMIT", Limit(count=2, window_seconds=3600))
    take = dataclasses.replace(intake(world), limiter=MemoryRateLimiter())
    storm = [mail("ben", f"Loop {n}", subject=f"Loop {n}") for n in range(4)]
    outcomes = [await take.take_in(raw, "smtp") for raw in storm]
    assert outcomes == [Outcome.OPENED] * 2 + [Outcome.SUPPRESSED] * 2
    assert (await record_of(world, storm[-1])).reason == "sender-rate"
    assert await take.take_in(mail("anna", "Not a loop."), "smtp") is Outcome.OPENED


async def merge(world: Portal, number: str, into: str) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/merge", json={"into": into}, headers=await world.as_("erik")
    )
    assert r.status_code == 200, r.text


async def test_a_reply_to_a_merged_ticket_lands_in_the_ticket_it_was_merged_into(
    world: Portal,
) -> None:
    duplicate = (await world.ticket("ben"))["number"]
    surviving = (await world.ticket("ben"))["number"]
    await merge(world, duplicate, surviving)
    before = len(await world.events("tickets.ticket.created"))
    for user in ("ben", "erik"):  # the customer, and the desk too
        raw = mail(user, f"Reply of {user}.", to=replying_to(world, user, duplicate))
        assert await intake(world).take_in(raw, "test") is Outcome.THREADED
        assert (await record_of(world, raw)).ticket_number == surviving
    bodies = [a["body"] for a in await thread(world, surviving, user="erik")]
    assert "Reply of ben." in bodies and "Reply of erik." in bodies
    assert len(await world.events("tickets.ticket.created")) == before


async def test_a_reply_to_a_ticket_merged_into_one_its_sender_cannot_see_is_a_new_mail(
    world: Portal,
) -> None:
    # Globex sees no colleague's tickets: Carla's duplicate merged into Dan's ticket.
    duplicate = (await world.ticket("carla"))["number"]
    surviving = (await world.ticket("dan"))["number"]
    await merge(world, duplicate, surviving)
    raw = mail("carla", "Any news?", to=replying_to(world, "carla", duplicate))
    assert await intake(world).take_in(raw, "test") is Outcome.OPENED
    created = (await world.events("tickets.ticket.created"))[-1]["data"]
    assert created["creator_id"] == world.ids["carla"] and created["follow_up_of"] is None
    assert all(a["body"] != "Any news?" for a in await thread(world, surviving, user="erik"))
