"""The e-mail channel as its correspondents see it, through a real SMTP server process:
mails about one ticket thread together and answer back into it, a ticket or message that
came by mail is confirmed to its sender, and a stranger's mail is answered politely,
once a day, never to a machine.

Events of mails received are published as the tickets service publishes them: a real
event of the same type, with the fields a mail gives."""

from __future__ import annotations

import re
import uuid
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Any

import pytest
from portal_harness import Portal

from portal_chassis.envelope import Envelope
from portal_chassis.reply_address import ReplyTarget, read_reply_address

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal
KEY = "a-signing-key-for-tests"
DOMAIN = "help.example"


@pytest.fixture(autouse=True)
def mail_channel(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_SUPPORT_ADDRESS", f"support@{DOMAIN}")
    monkeypatch.setenv("PORTAL_MAIL_SIGNING_KEYS", KEY)


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


def _to(mails: list[EmailMessage], address: str) -> list[EmailMessage]:
    return [m for m in mails if m["To"] == address]


def _answers_to(mail: EmailMessage) -> ReplyTarget | None:
    return read_reply_address(parseaddr(mail["Reply-To"])[1], [KEY])


async def _publish(world: Portal, envelope: Envelope) -> None:
    await world.bus.publish([envelope])
    await world.settle()


async def _by_mail(world: Portal, event_type: str, **fields: Any) -> Envelope:
    """The last real `event_type` event, as if what it tells had arrived by mail."""
    [*_, real] = await world.events(event_type)
    data = {**real["data"], "channel": "email", **fields}
    return Envelope(type=event_type, producer="tickets", data=data)


async def test_mails_about_one_ticket_thread_and_answer_back_into_it(
    mail_world: Portal, smtp_sink
) -> None:
    world = mail_world
    number = (await world.ticket("ben"))["number"]
    for body in ("Please restart it.", "Did that help?"):
        r = await world.client.post(
            f"/api/v1/tickets/{number}/articles",
            json={"body": body},
            headers=await world.as_("erik"),
        )
        assert r.status_code == 201, r.text
    await world.settle()

    mails = smtp_sink.mails()
    to_ben, [to_erik] = _to(mails, "ben@example.com"), _to(mails, "erik@example.com")
    assert len(to_ben) == 2
    root = f"<{number.lower()}@{DOMAIN}>"
    for mail in [*to_ben, to_erik]:
        assert mail["In-Reply-To"] == root and mail["References"] == root
        assert mail["Message-ID"].endswith(f"@{DOMAIN}>")
        assert mail["Auto-Submitted"] == "auto-generated"
    assert len({m["Message-ID"] for m in [*to_ben, to_erik]}) == 3
    # An answer by mail reaches the ticket, as the person the mail went to.
    assert _answers_to(to_ben[0]) == ReplyTarget(number, uuid.UUID(world.ids["ben"]))
    assert _answers_to(to_erik) == ReplyTarget(number, uuid.UUID(world.ids["erik"]))
    assert parseaddr(to_ben[0]["Reply-To"])[0] == "Customer Service Portal"


async def test_a_ticket_opened_by_mail_is_confirmed_once_to_its_creator(
    mail_world: Portal, smtp_sink
) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    earlier = (await world.ticket("ben"))["number"]
    await world.settle()
    # Opened in the portal: its creator is not told of his own action, as ever.
    assert _to(smtp_sink.mails(), "ben@example.com") == []

    number = "T900042"
    opened = await _by_mail(
        world,
        "tickets.ticket.created",
        id=str(uuid.uuid4()),
        number=number,
        title="Scanner offline",
        follow_up_of=earlier,
        refused_files=[{"filename": "setup.exe", "reason": "type not allowed"}],
    )
    await _publish(world, opened)
    await _publish(world, opened)  # delivered twice: still one confirmation

    mails = smtp_sink.mails()
    [receipt] = _to(mails, "ben@example.com")
    assert receipt["Subject"] == f"[{number}] Wir haben Ihre Anfrage erhalten: Scanner offline"
    text = _text(receipt)
    assert f"das Ticket {number} „Scanner offline“ eröffnet" in text
    assert f"Es ist ein Folgeticket zu {earlier}." in text
    assert "Diese Anhänge wurden nicht übernommen: setup.exe (type not allowed)." in text
    assert f"{PUBLIC_URL}/tickets/{number}" in text
    reply_to = parseaddr(receipt["Reply-To"])[1]
    assert f"Ihre Antwort geht an {reply_to}" in text
    assert _answers_to(receipt) == ReplyTarget(number, uuid.UUID(world.ids["ben"]))
    assert receipt["References"] == f"<{number.lower()}@{DOMAIN}>"
    # The desk hears of it as of any new ticket.
    desk = [m["Subject"] for m in _to(mails, "erik@example.com")]
    assert f"[{number}] New ticket: Scanner offline" in desk


async def test_the_author_of_a_mail_hears_of_its_refused_attachments(
    mail_world: Portal, smtp_sink
) -> None:
    world = mail_world
    number = (await world.ticket("ben"))["number"]
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "Here are the logs."},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    await world.settle()
    assert _to(smtp_sink.mails(), "ben@example.com") == []  # nothing refused in the portal

    files = [
        {"filename": "dump.bin", "reason": "larger than 25 MB"},
        {"filename": "tool.exe", "reason": "type not allowed"},
    ]
    await _publish(world, await _by_mail(world, "tickets.article.added", refused_files=files))
    await _publish(world, await _by_mail(world, "tickets.article.added"))  # none refused

    [note] = _to(smtp_sink.mails(), "ben@example.com")
    assert note["Subject"] == f"[{number}] Attachments not kept: Printer jams"
    assert (
        "These attachments were not kept: dump.bin (larger than 25 MB), "
        "tool.exe (type not allowed)." in _text(note)
    )
    assert _answers_to(note) == ReplyTarget(number, uuid.UUID(world.ids["ben"]))


def _rejected(address: str, message_id: str = "CAF1x-42@mail.example.org") -> Envelope:
    return Envelope(
        type="tickets.mail.rejected",
        producer="tickets",
        data={
            "message_id": message_id,
            "address": address,
            "name": "Dora",
            "subject": "Buy cheap now",
            "reason": "unknown_sender",
            "received_at": "2026-12-12T09:30:00Z",
        },
    )


async def _answers(world: Portal) -> dict[str, float]:
    text = (await world.client.get("/metrics")).text
    found = re.findall(r'^portal_mail_auto_answers_total\{outcome="(\w+)"\} (\S+)$', text, re.M)
    return {outcome: float(value) for outcome, value in found}


async def test_a_stranger_is_answered_once_a_day_and_a_machine_never(
    mail_portal: Portal, smtp_sink
) -> None:
    world = mail_portal
    before = await _answers(world)
    await _publish(world, _rejected("Dora@Example.org"))
    await _publish(world, _rejected("dora@example.org", "second@mail.example.org"))
    await _publish(world, _rejected("MAILER-DAEMON@mx.example.org"))
    await _publish(world, _rejected("noreply@shop.example"))

    [answer] = smtp_sink.mails()
    assert answer["To"] == "Dora@Example.org"
    assert answer["In-Reply-To"] == "<CAF1x-42@mail.example.org>"
    assert answer["Auto-Submitted"] == "auto-replied"
    assert answer["Precedence"] == "auto_reply"
    assert answer["Reply-To"] is None
    text = _text(answer)
    german, english = text.index("registrierten Benutzern"), text.index("registered users")
    assert german < english
    assert f"{PUBLIC_URL}/login" in text and f"Zum Kundenportal: {PUBLIC_URL}\n" in text
    # Nothing of the stranger's mail is repeated to whoever owns the address.
    assert "Buy cheap" not in text and "Dora" not in text
    after = await _answers(world)
    assert after.get("sent", 0) - before.get("sent", 0) == 1
    assert after.get("suppressed", 0) - before.get("suppressed", 0) == 3


@pytest.fixture
def answers_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NOTIFY_ANSWER_UNKNOWN_SENDERS", "false")


async def test_strangers_are_dropped_silently_when_answers_are_off(
    answers_off: None, mail_portal: Portal, smtp_sink
) -> None:
    await _publish(mail_portal, _rejected("dora@example.org"))
    assert smtp_sink.mails() == []
