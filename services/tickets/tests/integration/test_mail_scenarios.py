"""The e-mail channel's acceptance story, told once over each way mail comes in: the
portal's own SMTP receiver and a real IMAP mailbox (Dovecot). One portal per transport;
each step sends real mail and checks what the portal made of it through its API, its
events and the mails notify sent (a real SMTP server)."""

from __future__ import annotations

import asyncio
import email
import uuid
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any, Protocol

import aiosmtplib
import pytest
from portal_fixtures import SmtpSink
from portal_harness import Portal
from tickets_mail_kit import (
    SIGNING_KEY,
    SUPPORT,
    created_ticket,
    free_port,
    intake_running,
    listening,
    mail,
    png,
    wait_until,
)

from portal_chassis.reply_address import ReplyTarget, read_reply_address, reply_address
from portal_chassis.testing.dovecot import Dovecot
from portal_tickets.mail_intake.reading import read_mail

pytestmark = pytest.mark.integration

# A whole story per portal: more than the default per-test limit on a busy machine.
STORY_SECONDS = 300
# How long one mail may take through a mailbox: IDLE wakes the poller at once, but a
# busy machine may be slow, and a missed wake-up waits for the next poll.
MAILBOX_SECONDS = 60.0


class Transport(Protocol):
    async def deliver(self, msg: EmailMessage, *, null_sender: bool = False) -> None:
        """Hand the mail to the portal; return once the portal has taken it in."""


class SmtpTransport:
    """The portal's SMTP receiver: 250 comes only after the mail is stored."""

    def __init__(self, port: int) -> None:
        self.port = port

    async def deliver(self, msg: EmailMessage, *, null_sender: bool = False) -> None:
        envelope: dict[str, Any] = {"sender": "", "recipients": [SUPPORT]} if null_sender else {}
        await aiosmtplib.send(msg, hostname="127.0.0.1", port=self.port, timeout=60, **envelope)


class ImapTransport:
    """A Dovecot mailbox the portal polls: taken in once it left INBOX for `processed`."""

    def __init__(self, dovecot: Dovecot, user: str) -> None:
        self.dovecot = dovecot
        self.user = user
        self.delivered = 0

    async def deliver(self, msg: EmailMessage, *, null_sender: bool = False) -> None:
        # A mailbox has no envelope: a null sender is the Return-Path header the mail carries.
        await asyncio.to_thread(self.dovecot.append, self.user, msg.as_bytes())
        self.delivered += 1

        async def filed() -> bool:
            counts = await asyncio.to_thread(self.counts)
            assert not counts["failed"], "the portal set a mail aside as unprocessable"
            return counts["INBOX"] == 0 and counts["processed"] >= self.delivered

        await wait_until(filed, MAILBOX_SECONDS, every=0.2)

    def counts(self) -> dict[str, int]:
        """How many mails each folder holds, in one IMAP session."""
        found = {}
        with self.dovecot.session(self.user) as imap:
            for folder in ("INBOX", "processed", "failed"):
                status, data = imap.select(folder, readonly=True)
                found[folder] = int(data[0] or 0) if status == "OK" else 0
        return found


async def articles(world: Portal, number: str, reader: str = "erik") -> list[dict[str, Any]]:
    r = await world.client.get(
        f"/api/v1/tickets/{number}/articles", headers=await world.as_(reader)
    )
    assert r.status_code == 200, r.text
    return list(r.json()["items"])


async def ticket_of(world: Portal, number: str, reader: str = "erik") -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(reader))
    assert r.status_code == 200, r.text
    return dict(r.json())


def mails_to(sink: SmtpSink, address: str) -> list[EmailMessage]:
    return [m for m in sink.mails() if parseaddr(str(m["To"]))[1] == address]


async def mails_eventually(sink: SmtpSink, address: str) -> list[EmailMessage]:
    """The mails notify sent `address`, once there is one."""

    async def sent() -> list[EmailMessage]:
        return mails_to(sink, address)

    return await wait_until(sent)


async def mail_about(sink: SmtpSink, address: str, number: str) -> EmailMessage:
    """The newest mail notify sent `address` about ticket `number`, once it was sent."""

    async def sent() -> EmailMessage | None:
        about = [m for m in mails_to(sink, address) if f"[{number}]" in str(m["Subject"])]
        return about[-1] if about else None

    return await wait_until(sent)


def answer(notice: EmailMessage, sender: str, body: str) -> EmailMessage:
    """What a mail client sends when `sender` presses "Reply" on `notice`, quoting it."""
    reply = mail(sender, str(notice["Reply-To"]), f"Re: {notice['Subject']}", "")
    reply["In-Reply-To"] = notice["Message-ID"]
    quoted = "\n".join(f"> {line}" for line in text_of(notice).splitlines())
    reply.set_content(f"{body}\n\nOn Monday, the portal wrote:\n{quoted}\n")
    return reply


def text_of(msg: EmailMessage) -> str:
    part = msg.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def dsn(to: str, failed_recipient: str) -> EmailMessage:
    """A delivery status notification (RFC 3464) as a mail server sends it."""
    raw = f"""\
Return-Path: <>
From: Mail Delivery System <mailer-daemon@mx.example.net>
To: {to}
Subject: Undelivered Mail Returned to Sender
Message-ID: <{uuid.uuid4()}@mx.example.net>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain

Your message could not be delivered to {failed_recipient}.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; {failed_recipient}
Action: failed
Status: 5.1.1

--b1--
"""
    return email.message_from_string(raw, policy=policy.default)


async def outcome_of(world: Portal, msg: EmailMessage) -> tuple[str, str | None]:
    """What the intake recorded for the mail (no public API shows mails that made nothing)."""
    async with world.tickets.uow() as uow:
        record = await uow.mail.by_message_id(read_mail(msg.as_bytes()).message_id)
    assert record is not None
    return record.outcome, record.reason


@pytest.mark.timeout(STORY_SECONDS)
@pytest.mark.parametrize("path", ["smtp", "imap"])
async def test_the_mail_channel_story(
    path: str, mail_world: Portal, smtp_sink: SmtpSink, request: pytest.FixtureRequest
) -> None:
    world = mail_world
    if path == "smtp":
        port = free_port()
        inbound = {"inbound_smtp_url": f"smtp://127.0.0.1:{port}"}
    else:
        dovecot: Dovecot = request.getfixturevalue("dovecot")  # started for this path only
        user = dovecot.add_user()
        inbound = {"inbound_imap_url": dovecot.url(user)}
    async with intake_running(world, **inbound):
        transport: Transport
        if path == "smtp":
            await listening(port)
            transport = SmtpTransport(port)
        else:
            transport = ImapTransport(dovecot, user)
        await story(world, smtp_sink, transport)
        if isinstance(transport, ImapTransport):
            counts = await asyncio.to_thread(transport.counts)
            assert counts == {"INBOX": 0, "processed": transport.delivered, "failed": 0}


async def story(world: Portal, sink: SmtpSink, transport: Transport) -> None:
    deliver = transport.deliver
    ben_id = uuid.UUID(world.ids["ben"])

    # 1. A known customer writes to the desk: a ticket of theirs, confirmed with its number.
    await deliver(mail("ben", SUPPORT, "Scanner offline", "The scanner on floor 3 is offline."))
    opened = await created_ticket(world, "Scanner offline")
    assert opened["channel"] == "email" and opened["creator_id"] == world.ids["ben"]
    number = opened["number"]
    assert (await ticket_of(world, number))["organization"]["id"] == world.orgs["acme"]
    confirmation = await mail_about(sink, "ben@example.com", number)
    ben_to = parseaddr(str(confirmation["Reply-To"]))[1]
    assert read_reply_address(ben_to, [SIGNING_KEY]) == ReplyTarget(number, ben_id)

    # 2. Ben answers the confirmation in his mail client: his words only, without the quote.
    await deliver(answer(confirmation, "ben", "It is online again after a restart."))
    [_, reply] = await articles(world, number)
    assert reply["body"] == "It is online again after a restart."
    assert reply["author"]["id"] == world.ids["ben"]
    assert reply["channel"] == "email" and reply["internal"] is False

    # 3. The agent answers from his own reply address: public; with #internal, a note.
    erik_to = reply_address(
        SUPPORT, ReplyTarget(number, uuid.UUID(world.ids["erik"])), [SIGNING_KEY]
    )
    await deliver(mail("erik", erik_to, "Re: Scanner offline", "Please check the cable."))
    await deliver(mail("erik", erik_to, "Re: Scanner offline", "#internal\nCable was loose."))
    public, note = (await articles(world, number))[-2:]
    assert (public["body"], public["internal"]) == ("Please check the cable.", False)
    assert (note["body"], note["internal"]) == ("Cable was loose.", True)
    assert public["author"]["id"] == note["author"]["id"] == world.ids["erik"]
    bens_view = [a["body"] for a in await articles(world, number, reader="ben")]
    assert "Please check the cable." in bens_view and "Cable was loose." not in bens_view

    # 4. A stranger writes twice the same day: no ticket, exactly one polite answer.
    first = mail("stranger", SUPPORT, "Price list", "Please send me your prices.")
    await deliver(first)
    await deliver(mail("stranger", SUPPORT, "Price list again", "Hello? Prices please."))
    rejected = [e["data"]["address"] for e in await world.events("tickets.mail.rejected")]
    assert rejected == ["stranger@example.com"] * 2
    await mails_eventually(sink, "stranger@example.com")
    await world.settle()  # the second rejection was handled too: it sent nothing
    [polite] = mails_to(sink, "stranger@example.com")
    assert polite["Auto-Submitted"] == "auto-replied"
    assert polite["In-Reply-To"] == first["Message-ID"]
    titles = {e["data"]["title"] for e in await world.events("tickets.ticket.created")}
    assert not {"Price list", "Price list again"} & titles

    # 5. An out-of-office reply and a bounce: no message, no ticket, never answered.
    await world.settle()
    before = (
        len(await articles(world, number)),
        len(await world.events("tickets.ticket.created")),
        len(mails_to(sink, "ben@example.com")),
    )
    vacation = mail("ben", ben_to, "Automatic reply: Scanner offline", "Out until Monday.")
    vacation["Auto-Submitted"] = "auto-replied"
    await deliver(vacation)
    bounce = dsn(SUPPORT, "someone@elsewhere.test")
    await deliver(bounce, null_sender=True)
    assert await outcome_of(world, vacation) == ("suppressed", "auto-submitted")
    assert await outcome_of(world, bounce) == ("suppressed", "bounce")
    await world.settle()
    after = (
        len(await articles(world, number)),
        len(await world.events("tickets.ticket.created")),
        len(mails_to(sink, "ben@example.com")),
    )
    assert after == before
    assert len(await world.events("tickets.mail.rejected")) == 2  # still the stranger's
    assert mails_to(sink, "mailer-daemon@mx.example.net") == []

    # 6. The same mail (one Message-ID) delivered twice: one message.
    twice = mail("ben", ben_to, "Re: Scanner offline", "It is the X200 model.")
    await deliver(twice)
    await deliver(twice)
    bodies = [a["body"] for a in await articles(world, number)]
    assert bodies.count("It is the X200 model.") == 1

    # 7. Another organization's customer uses Ben's reply address, and Ben an address
    #    signed with a key the portal never had: each a new ticket of the sender's own.
    await deliver(mail("carla", ben_to, "Let me in", "I want to read this ticket."))
    stolen = await created_ticket(world, "Let me in")
    assert stolen["creator_id"] == world.ids["carla"] and stolen["number"] != number
    forged_to = reply_address(SUPPORT, ReplyTarget(number, ben_id), ["not-the-portal-key"])
    await deliver(mail("ben", forged_to, "Scanner again", "Forged address, own ticket."))
    forged = await created_ticket(world, "Scanner again")
    assert forged["creator_id"] == world.ids["ben"] and forged["number"] != number
    bodies = [a["body"] for a in await articles(world, number)]
    assert "I want to read this ticket." not in bodies
    assert "Forged address, own ticket." not in bodies

    # 8. An HTML-only mail: clean text, no tags, nothing of the script.
    html = mail("ben", SUPPORT, "Screen flickers", "")
    html.set_content(
        "<html><body><p>The <b>screen</b> flickers.</p><script>alert(1)</script></body></html>",
        subtype="html",
    )
    await deliver(html)
    flickers = await ticket_of(world, (await created_ticket(world, "Screen flickers"))["number"])
    assert "The screen flickers." in flickers["description"]
    assert "<" not in flickers["description"] and "alert" not in flickers["description"]

    # 9. Attachments: the screenshot is stored with the ticket, the program refused by name.
    shot = mail("ben", SUPPORT, "Error screen", "See the screenshot.")
    image = png()
    shot.add_attachment(image, maintype="image", subtype="png", filename="screen.png")
    shot.add_attachment(
        b"MZ\x90\x00" * 64, maintype="application", subtype="octet-stream", filename="tool.exe"
    )
    await deliver(shot)
    with_files = await created_ticket(world, "Error screen")
    assert [f["filename"] for f in with_files["refused_files"]] == ["tool.exe"]
    [file_id] = with_files["file_ids"]
    [opening] = await articles(world, with_files["number"], reader="ben")
    assert opening["attachment_ids"] == [file_id] and "tool.exe" in opening["body"]
    ben = await world.as_("ben")
    stored = await world.client.get(f"/api/v1/files/{file_id}", headers=ben)
    assert stored.status_code == 200 and stored.json()["content_type"] == "image/png"
    content = await world.client.get(f"/api/v1/files/{file_id}/content", headers=ben)
    assert content.content == image
    refused_notice = await mail_about(sink, "ben@example.com", with_files["number"])
    assert "tool.exe" in text_of(refused_notice)

    # 10. Within the reopening window, an answer to a resolved ticket reopens it.
    erik = await world.as_("erik")
    resolved = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "resolved"}, headers=erik
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"
    await deliver(mail("ben", ben_to, "Re: Scanner offline", "Offline again this morning."))
    assert (await ticket_of(world, number))["status"] == "open"
    assert (await articles(world, number))[-1]["body"] == "Offline again this morning."
