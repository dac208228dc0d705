"""The e-mail channel end to end: a mail sent to the portal's own SMTP receiver, and one
delivered into a real IMAP mailbox (Dovecot), each becomes a ticket in the portal."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import uuid
from collections.abc import AsyncIterator
from email.message import EmailMessage

import aiosmtplib
import pytest
from portal_harness import Portal

from portal_chassis.reply_address import ReplyTarget, reply_address
from portal_chassis.testing.dovecot import Dovecot
from portal_tickets.mail_intake.runner import run_intake

pytestmark = pytest.mark.integration

SUPPORT = "support@portal.test"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def intake_running(world: Portal, **inbound: str) -> AsyncIterator[None]:
    portal = world.tickets.settings.portal
    saved = portal.model_dump()
    for name, value in {"support_address": SUPPORT, "mail_signing_keys": "k1", **inbound}.items():
        setattr(portal, name, value)
    job = asyncio.create_task(run_intake(world.tickets))
    try:
        yield
    finally:
        job.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(job, 10)
        for name in ("support_address", "mail_signing_keys", *inbound):
            setattr(portal, name, saved[name])


def mail(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"{sender}@example.com"
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4()}@mail.example.com>"
    msg.set_content(body)
    return msg


async def created_ticket(world: Portal, title: str, *, seconds: float = 15.0) -> dict:
    for _ in range(int(seconds * 10)):
        for event in await world.events("tickets.ticket.created"):
            if event["data"]["title"] == title:
                return event["data"]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no ticket {title!r} was opened")


async def wait_until(check, seconds: float = 15.0):  # type: ignore[no-untyped-def]
    for _ in range(int(seconds * 10)):
        if result := await check():
            return result
        await asyncio.sleep(0.1)
    raise AssertionError("never happened")


async def test_smtp_receiver_opens_tickets_and_threads_replies(world: Portal) -> None:
    port = free_port()
    async with intake_running(world, inbound_smtp_url=f"smtp://127.0.0.1:{port}"):
        await asyncio.sleep(0.2)  # the receiver binds as the job starts
        first = mail("ben", SUPPORT, "Scanner offline", "The scanner is offline.")
        await aiosmtplib.send(first, hostname="127.0.0.1", port=port)
        ticket = await created_ticket(world, "Scanner offline")
        assert ticket["channel"] == "email" and ticket["creator_id"] == world.ids["ben"]

        to = reply_address(
            SUPPORT, ReplyTarget(ticket["number"], uuid.UUID(world.ids["ben"])), ["k1"]
        )
        await aiosmtplib.send(
            mail("ben", to, "Re: Scanner offline", "Now it is online again."),
            hostname="127.0.0.1",
            port=port,
        )
        erik = await world.as_("erik")

        async def replied() -> list:
            path = f"/api/v1/tickets/{ticket['number']}/articles"
            items = (await world.client.get(path, headers=erik)).json()["items"]
            return [a for a in items if a["body"] == "Now it is online again."]

        assert len(await wait_until(replied)) == 1
        with pytest.raises(aiosmtplib.SMTPRecipientsRefused):  # not our domain
            await aiosmtplib.send(
                mail("ben", "someone@elsewhere.test", "Hi", "x"), hostname="127.0.0.1", port=port
            )


async def test_imap_mailbox_mails_become_tickets_and_move_to_processed(
    world: Portal, dovecot: Dovecot
) -> None:
    user = dovecot.add_user()
    dovecot.append(user, mail("anna", SUPPORT, "Badge reader broken", "It beeps.").as_bytes())
    async with intake_running(world, inbound_imap_url=dovecot.url(user)):
        ticket = await created_ticket(world, "Badge reader broken")
        assert ticket["creator_id"] == world.ids["anna"] and ticket["channel"] == "email"

        async def moved() -> bool:
            inbox = await asyncio.to_thread(dovecot.messages, user)
            done = await asyncio.to_thread(dovecot.messages, user, "processed")
            return not inbox and len(done) == 1

        assert await wait_until(moved)
