"""The e-mail channel as its users meet it: a notification mail answered in a mail client
lands in the ticket (customer and agent), threads with the mails before it, and shows on
the ticket page; a closed ticket is continued by a follow-up from its page."""

from __future__ import annotations

import re
from email.message import EmailMessage
from email.utils import parseaddr

import pytest
from portal_fixtures import SmtpSink
from portal_harness import Portal
from web_kit import browser, csrf

from portal_chassis.reply_address import read_reply_address
from portal_tickets.mail_intake.runner import intake_of
from portal_tickets.mail_intake.service import Outcome

pytestmark = pytest.mark.integration


def _latest(sink: SmtpSink, to: str, number: str) -> EmailMessage:
    about = [m for m in sink.mails() if m["To"] == to and number in str(m["Subject"])]
    assert about, f"no mail to {to} about {number}"
    return about[-1]


def _answer(notice: EmailMessage, sender: str, body: str) -> bytes:
    """What a mail client sends when its user presses "Reply" on `notice`."""
    reply = EmailMessage()
    reply["From"] = sender
    reply["To"] = notice["Reply-To"]
    reply["Subject"] = f"Re: {notice['Subject']}"
    reply["In-Reply-To"] = notice["Message-ID"]
    reply["References"] = f"{notice['References']} {notice['Message-ID']}"
    reply["Message-ID"] = f"<answer-{abs(hash(body))}@client.example.com>"
    quoted = "\n".join(
        f"> {line}" for line in notice.get_body(("plain",)).get_content().splitlines()
    )
    reply.set_content(f"{body}\n\nOn Monday, the portal wrote:\n{quoted}\n")
    return reply.as_bytes()


async def test_answers_by_mail_thread_into_the_ticket_for_customer_and_agent(
    mail_world: Portal, smtp_sink: SmtpSink
) -> None:
    world = mail_world
    keys = world.tickets.settings.portal.signing_keys
    number = (await world.ticket("ben"))["number"]
    erik, ben = await world.as_("erik"), await world.as_("ben")
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "Please restart the printer."},
        headers=erik,
    )
    assert r.status_code == 201, r.text
    await world.settle()

    notice = _latest(smtp_sink, "ben@example.com", number)
    address = parseaddr(notice["Reply-To"])[1]
    target = read_reply_address(address, keys)
    assert target is not None and target.ticket_number == number
    assert str(target.user_id) == world.ids["ben"]
    root = notice["References"]
    assert root and notice["In-Reply-To"] == root and notice["Message-ID"] != root

    intake = intake_of(world.tickets)
    answer = _answer(notice, "Ben <ben@example.com>", "Done, it prints again.")
    assert await intake.take_in(answer, "smtp") is Outcome.THREADED
    await world.settle()
    items = (await world.client.get(f"/api/v1/tickets/{number}/articles", headers=ben)).json()
    latest = items["items"][-1]
    assert latest["body"] == "Done, it prints again." and latest["channel"] == "email"
    assert latest["author"]["id"] == world.ids["ben"]
    # Ben's own list keeps a read receipt (it refreshes his open ticket page).
    mine = (await world.client.get("/api/v1/notifications", headers=ben)).json()["items"]
    receipt = [n for n in mine if n["kind"] == "message_received"]
    assert len(receipt) == 1 and receipt[0]["read"] is True
    assert receipt[0]["ticket_number"] == number

    # The agent hears of it by mail in the same thread, and answers with an internal note.
    to_erik = _latest(smtp_sink, "erik@example.com", number)
    assert to_erik["References"].split()[0] == root
    note = _answer(to_erik, "erik@example.com", "#internal\nToner was low; ordered more.")
    assert await intake.take_in(note, "smtp") is Outcome.THREADED
    for reader, sees in (("erik", True), ("ben", False)):
        thread = await world.client.get(
            f"/api/v1/tickets/{number}/articles", headers=await world.as_(reader)
        )
        bodies = [a["body"] for a in thread.json()["items"]]
        assert ("Toner was low; ordered more." in bodies) is sees, reader

    async with browser(world, "ben", lang="de") as page:
        shown = await page.get(f"/tickets/{number}")
    assert "Done, it prints again." in shown.text and "Toner" not in shown.text


async def test_a_closed_ticket_page_leads_to_a_follow_up(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    ben = await world.as_("ben")
    await world.client.post(f"/api/v1/tickets/{number}/close", headers=ben)
    async with browser(world, "ben") as page:
        closed = await page.get(f"/tickets/{number}")
        link = re.search(
            r'href="(/tickets/new\?follow_up_of=[^"]+)" id="follow-up-open"', closed.text
        )
        assert link, closed.text
        form = await page.get(link.group(1).replace("&amp;", "&") + "&template=none")
        assert f'name="follow_up_of" value="{number}"' in form.text
        created = await page.post(
            "/tickets/new",
            data={
                "csrf_token": csrf(page),
                "title": "The printer jams again",
                "follow_up_of": number,
                "template_id": "",
            },
        )
        assert created.status_code == 303, created.text
        follow_up = await page.get(created.headers["location"])
        assert f'id="follow-up-of">{number}</a>' in follow_up.text
        again = await page.get(f"/tickets/{number}")
    new_number = follow_up.url.path.rsplit("/", 1)[-1]
    assert f">{new_number}</a>" in again.text and 'id="follow-ups"' in again.text


async def test_a_stranger_gets_one_polite_answer_a_day_and_no_ticket(
    mail_world: Portal, smtp_sink: SmtpSink
) -> None:
    world = mail_world
    intake = intake_of(world.tickets)
    for attempt in range(2):
        mail = EmailMessage()
        mail["From"] = "Someone <someone@elsewhere.example>"
        mail["To"] = world.tickets.settings.portal.support_mailbox
        mail["Subject"] = f"Quote request {attempt}"
        mail["Message-ID"] = f"<quote-{attempt}@elsewhere.example>"
        mail.set_content("Please send me a quote.")
        assert await intake.take_in(mail.as_bytes(), "smtp") is Outcome.REJECTED
        # Each mail answered (or not) before the next arrives: two refusals handled side
        # by side may claim the day's answer in either order.
        await world.settle()
    answers = [m for m in smtp_sink.mails() if m["To"] == "someone@elsewhere.example"]
    assert len(answers) == 1
    assert answers[0]["Auto-Submitted"] == "auto-replied"
    assert answers[0]["In-Reply-To"] == "<quote-0@elsewhere.example>"
    assert await world.events("tickets.ticket.created") == []
