"""Mails to a real SMTP server process: who gets them, in which language, with which
link, never with internal content, and once per event however often it arrives."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from portal_harness import Portal
from sqlalchemy import select

from portal_chassis.envelope import Envelope
from portal_notify.mail.models import OutgoingMail

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _html(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("html",))
    assert part is not None
    return part.get_content()


def _to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in mails if m["To"] == address]


async def _reply(world: Portal, user: str, number: str, body: str, **extra) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": body, **extra},
        headers=await world.as_(user),
    )
    assert r.status_code == 201, r.text


async def test_a_reply_reaches_the_other_party_in_their_language(mail_world, smtp_sink) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    ticket = await world.ticket("ben", description="Paper everywhere.")
    number = ticket["number"]
    # A colleague follows the ticket and hears what its creator hears.
    r = await world.client.put(f"/api/v1/tickets/{number}/follow", headers=await world.as_("anna"))
    assert r.status_code == 200 and r.json() == {"following": True}
    await world.settle()

    await _reply(world, "erik", number, "Internal: customer is on the old firmware.", internal=True)
    await _reply(world, "erik", number, "Please switch the printer off and on again.")
    await world.settle()

    mails = smtp_sink.mails()
    # The new ticket went to the agents' queue (erik), in English.
    created = _to(mails, "erik@example.com")
    assert any(number in m["Subject"] and "New ticket" in m["Subject"] for m in created)

    german = _to(mails, "ben@example.com")
    assert len(german) == 1, [m["Subject"] for m in german]
    mail = german[0]
    assert mail["Subject"] == f"[{number}] Neue Antwort: Printer jams"
    assert mail["Content-Language"] == "de"
    text = _text(mail)
    assert "Hallo Ben," in text and "hat auf das Ticket" in text
    assert "> Please switch the printer off and on again." in text
    assert f"{PUBLIC_URL}/tickets/{number}" in text
    assert f'href="{PUBLIC_URL}/tickets/{number}"' in _html(mail)

    english = _to(mails, "anna@example.com")
    assert [m["Subject"] for m in english] == [f"[{number}] New reply: Printer jams"]
    # Internal notes reach no customer: not as a mail, not inside another mail.
    for m in mails:
        if m["To"] != "erik@example.com":
            assert "old firmware" not in _text(m) and "old firmware" not in _html(m)
            assert "Internal note" not in m["Subject"]

    # Nobody is told about their own action: the author got no mail for the reply.
    assert not any("New reply" in m["Subject"] for m in _to(mails, "erik@example.com"))


async def test_a_redelivered_event_sends_no_second_mail(mail_world, smtp_sink) -> None:
    world = mail_world
    ticket = await world.ticket("ben")
    await _reply(world, "erik", ticket["number"], "We are on it.")
    await world.settle()
    before = len(smtp_sink.mails())
    listed = await world.client.get("/api/v1/notifications", headers=await world.as_("ben"))
    assert listed.json()["unread_count"] == 1

    added = [e for e in await world.events("tickets.article.added")][-1]
    await world.bus.publish([Envelope.model_validate(added)])
    await world.bus.publish([Envelope.model_validate(added)])
    await world.settle()

    assert len(smtp_sink.mails()) == before
    again = await world.client.get("/api/v1/notifications", headers=await world.as_("ben"))
    assert again.json()["unread_count"] == 1


async def test_mail_preferences_switch_mail_off_but_not_the_in_app_list(
    mail_world, smtp_sink
) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me",
        json={"notification_preferences": {"ticket_reply": False}},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 200, r.text
    ticket = await world.ticket("ben")
    await _reply(world, "erik", ticket["number"], "Done.")
    await world.settle()

    assert _to(smtp_sink.mails(), "ben@example.com") == []
    listed = await world.client.get("/api/v1/notifications", headers=await world.as_("ben"))
    assert [n["kind"] for n in listed.json()["items"]] == ["ticket_reply"]


async def test_status_changes_customers_can_see_are_mailed_internal_steps_are_not(
    mail_world, smtp_sink
) -> None:
    world = mail_world
    ticket = await world.ticket("ben")
    number = ticket["number"]
    agent = await world.as_("erik")
    # new -> waiting_internal: still "in progress" for the customer.
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "waiting_internal"}, headers=agent
    )
    assert r.status_code == 200, r.text
    await world.settle()
    assert _to(smtp_sink.mails(), "ben@example.com") == []

    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json={"status": "waiting_customer"}, headers=agent
    )
    assert r.status_code == 200, r.text
    await world.settle()
    [mail] = _to(smtp_sink.mails(), "ben@example.com")
    assert mail["Subject"] == f"[{number}] Status answer expected: Printer jams"
    assert "waiting_customer" not in _text(mail)


async def test_password_reset_mail_carries_the_link_in_the_users_language(
    mail_world, smtp_sink
) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await world.as_("carla")
    )
    assert r.status_code == 200
    r = await world.client.post("/api/v1/auth/password/forgot", json={"username": "carla"})
    assert r.status_code == 202
    await world.settle()

    [mail] = _to(smtp_sink.mails(), "carla@example.com")
    assert mail["Subject"] == "Passwort zurücksetzen"
    link = re.search(r"(http\S+)", _text(mail))
    assert link and link.group(1).startswith(f"{PUBLIC_URL}/")
    token = link.group(1).rsplit("token=", 1)[-1]
    reset = await world.client.post(
        "/api/v1/auth/password/reset",
        json={"token": token, "new_password": "a-brand-new-secret-42"},
    )
    assert reset.status_code in (200, 204), reset.text
    # A sent mail keeps no copy of the single-use link.
    async with world.notify.session_factory() as s:
        query = select(OutgoingMail).where(OutgoingMail.kind == "password_reset")
        stored = (await s.scalars(query)).one()
    assert stored.status == "sent" and stored.text_body is None and stored.html_body is None
