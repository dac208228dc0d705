"""The headers that place a mail in its conversation, as the message is built for
sending: every mail about one ticket threads under the ticket's root id with an id of
its own, a signed Reply-To leads an answer back to the ticket and its recipient, and
every mail says it was sent automatically."""

from __future__ import annotations

import uuid
from email.utils import parseaddr

import pytest

from portal_chassis.reply_address import ReplyTarget, read_reply_address
from portal_notify.mail.headers import Correspondence, Thread
from portal_notify.mail.models import OutgoingMail
from portal_notify.mail.render import RenderedMail
from portal_notify.mail.service import build_message, new_mail
from portal_notify.settings import NotifySettings

KEYS = ("first-signing-key", "older-signing-key")
SENDER = "Customer Service Portal <portal@portal.example>"
SIGNED = Correspondence(
    support="support@portal.example", sender_name="Customer Service Portal", keys=KEYS
)
UNSIGNED = Correspondence(support="support@portal.example", sender_name="Customer Service Portal")
BEN = uuid.uuid4()


def _mail(thread: Thread | None, **extra: str) -> OutgoingMail:
    return new_mail(
        dedupe_key=str(uuid.uuid4()),
        kind="ticket_reply",
        language=extra.pop("language", "en"),
        recipient_id=BEN,
        to_address="ben@example.com",
        rendered=RenderedMail(subject="[T000042] New reply", text="text", html="<p>html</p>"),
        thread=thread,
    )


def test_two_mails_about_one_ticket_share_its_root_and_differ_in_their_own_id() -> None:
    first = build_message(_mail(SIGNED.about_ticket("T000042", BEN)), SENDER)
    second = build_message(_mail(SIGNED.about_ticket("T000042", uuid.uuid4())), SENDER)
    other = build_message(_mail(SIGNED.about_ticket("T000043", BEN)), SENDER)

    root = "<t000042@portal.example>"
    for message in (first, second):
        assert message["In-Reply-To"] == root
        assert message["References"] == root
        assert message["Message-ID"].startswith("<t000042.")
        assert message["Message-ID"].endswith("@portal.example>")
    assert first["Message-ID"] != second["Message-ID"]
    assert other["References"] == "<t000043@portal.example>"


def test_a_retry_sends_the_id_stored_with_the_mail() -> None:
    mail = _mail(SIGNED.about_ticket("T000042", BEN))
    assert mail.message_id == f"<t000042.{mail.id.hex}@portal.example>"
    assert build_message(mail, SENDER)["Message-ID"] == build_message(mail, SENDER)["Message-ID"]
    # A mail queued before ids were stored gets one from its own id, just as stable.
    mail.message_id = None
    assert build_message(mail, SENDER)["Message-ID"] == f"<{mail.id.hex}@portal.example>"


def test_the_reply_to_names_the_ticket_and_the_recipient_under_the_portals_name() -> None:
    message = build_message(_mail(SIGNED.about_ticket("T000042", BEN)), SENDER)
    name, address = parseaddr(message["Reply-To"])
    assert name == "Customer Service Portal"
    assert address.startswith("support+") and address.endswith("@portal.example")
    assert read_reply_address(address, KEYS) == ReplyTarget("T000042", BEN)
    # Only the portal's own keys open it.
    assert read_reply_address(address, ["another-portals-key"]) is None


def test_without_signing_keys_no_mail_carries_a_reply_to() -> None:
    message = build_message(_mail(UNSIGNED.about_ticket("T000042", BEN)), SENDER)
    assert message["Reply-To"] is None
    assert message["References"] == "<t000042@portal.example>"


def test_every_mail_says_it_was_sent_automatically() -> None:
    for thread in (SIGNED.about_ticket("T000042", BEN), SIGNED.standalone(), None):
        message = build_message(_mail(thread), SENDER)
        assert message["Auto-Submitted"] == "auto-generated"
        assert message["Precedence"] is None
        assert message["X-Auto-Response-Suppress"] == "All"
    standalone = build_message(_mail(SIGNED.standalone()), SENDER)
    assert standalone["In-Reply-To"] is None and standalone["Reply-To"] is None


def test_an_automatic_answer_answers_the_mail_it_is_about() -> None:
    thread = SIGNED.answer_to("CAF1x-42@mail.example.org")
    message = build_message(_mail(thread, language="de, en"), SENDER)
    assert message["In-Reply-To"] == "<CAF1x-42@mail.example.org>"
    assert message["References"] == "<CAF1x-42@mail.example.org>"
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Precedence"] == "auto_reply"
    assert message["Reply-To"] is None
    assert message["Content-Language"] == "de, en"


def test_the_settings_give_the_support_domain_the_sender_name_and_the_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_SUPPORT_ADDRESS", "help@Service.Example")
    monkeypatch.setenv("PORTAL_MAIL_SIGNING_KEYS", " new-key , old-key ")
    monkeypatch.setenv("NOTIFY_MAIL_FROM", "Acme Service <noreply@service.example>")
    correspondence = Correspondence.of(NotifySettings())
    assert correspondence.domain == "service.example"
    assert correspondence.sender_name == "Acme Service"
    assert correspondence.keys == ("new-key", "old-key")
    monkeypatch.delenv("PORTAL_MAIL_SIGNING_KEYS")
    assert Correspondence.of(NotifySettings()).reply_address("T000001", BEN) is None
