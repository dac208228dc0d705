"""The e-mail channel end to end: a mail sent to the portal's own SMTP receiver, and one
delivered into a real IMAP mailbox (Dovecot), each becomes a ticket in the portal."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import aiosmtplib
import pytest
from portal_harness import Portal
from tickets_mail_kit import (
    SUPPORT,
    created_ticket,
    free_port,
    intake_running,
    listening,
    mail,
    wait_until,
)

from portal_chassis.reply_address import ReplyTarget, reply_address
from portal_chassis.testing.dovecot import Dovecot
from portal_tickets.mail_intake.reading import read_mail

pytestmark = pytest.mark.integration


async def test_smtp_receiver_opens_tickets_and_threads_replies(world: Portal) -> None:
    port = free_port()
    async with intake_running(world, inbound_smtp_url=f"smtp://127.0.0.1:{port}"):
        await listening(port)
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

        async def replied() -> list[dict[str, Any]]:
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


async def test_smtp_envelope_threads_a_blind_copy_and_marks_a_null_sender_as_machine(
    world: Portal,
) -> None:
    port = free_port()
    number = (await world.ticket("ben"))["number"]
    token = reply_address(SUPPORT, ReplyTarget(number, uuid.UUID(world.ids["ben"])), ["k1"])
    async with intake_running(world, inbound_smtp_url=f"smtp://127.0.0.1:{port}"):
        await listening(port)
        # The reply address only in the envelope (Bcc, a relay): the headers name the desk.
        blind = mail("ben", SUPPORT, "Re: Printer jams", "Blind copy to the ticket.")
        await aiosmtplib.send(
            blind, sender="ben@example.com", recipients=[token], hostname="127.0.0.1", port=port
        )
        # A null reverse path (MAIL FROM:<>): a bounce, even without any header saying so.
        bounce = mail("ben", SUPPORT, "Undeliverable", "Your mail could not be delivered.")
        await aiosmtplib.send(
            bounce, sender="", recipients=[SUPPORT], hostname="127.0.0.1", port=port
        )
    # 250 came only after the mails were stored: no waiting needed.
    erik = await world.as_("erik")
    items = (await world.client.get(f"/api/v1/tickets/{number}/articles", headers=erik)).json()
    assert [a["body"] for a in items["items"]] == ["Blind copy to the ticket."]
    async with world.tickets.uow() as uow:
        record = await uow.mail.by_message_id(read_mail(bounce.as_bytes()).message_id)
    assert record is not None
    assert (record.outcome, record.reason) == ("suppressed", "null-sender")
    titles = [e["data"]["title"] for e in await world.events("tickets.ticket.created")]
    assert "Undeliverable" not in titles


async def test_smtp_size_limit_is_a_setting(world: Portal) -> None:
    port = free_port()
    settings = world.tickets.settings
    saved = settings.inbound_smtp_max_bytes
    settings.inbound_smtp_max_bytes = 4_000
    try:
        async with intake_running(world, inbound_smtp_url=f"smtp://127.0.0.1:{port}"):
            await listening(port)
            big = mail("ben", SUPPORT, "Big", "x" * 5_000)
            with pytest.raises(aiosmtplib.SMTPResponseException) as refused:
                await aiosmtplib.send(big, hostname="127.0.0.1", port=port)
            assert refused.value.code == 552
            await aiosmtplib.send(
                mail("ben", SUPPORT, "Small", "x"), hostname="127.0.0.1", port=port
            )
    finally:
        settings.inbound_smtp_max_bytes = saved
    await created_ticket(world, "Small")
