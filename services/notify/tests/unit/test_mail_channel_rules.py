"""The words and rules of the e-mail channel that need no database: what a confirmation
of a received mail says, and which senders an automatic answer never goes to."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from portal_notify.mail.answers import answerable, is_machine
from portal_notify.mail.headers import Correspondence
from portal_notify.notification import receipts
from portal_notify.notification.facts import (
    ReceivedMessageFacts,
    ReceivedTicketFacts,
    RejectedMailFacts,
)

SUPPORT = Correspondence(support="support@portal.example", keys=("key",))
BEN = uuid.uuid4()
REFUSED = [
    {"filename": "setup.exe", "reason": "type not allowed"},
    {"filename": "scan.tiff", "reason": "larger than 25 MB"},
]


def _ticket(**changes: object) -> ReceivedTicketFacts:
    data = {"number": "T000042", "title": "Printer jams", "creator_id": str(BEN)}
    return ReceivedTicketFacts.model_validate({**data, "channel": "email", **changes})


def test_only_a_ticket_opened_by_mail_is_confirmed() -> None:
    assert receipts.of_ticket(_ticket(channel="portal")) is None
    assert receipts.of_ticket(_ticket(channel="phone")) is None
    receipt = receipts.of_ticket(_ticket())
    assert receipt is not None
    assert (receipt.key, receipt.number, receipt.recipient_id) == (
        "ticket_received",
        "T000042",
        BEN,
    )


def test_the_confirmation_names_the_follow_up_each_refused_file_and_the_reply_address() -> None:
    receipt = receipts.of_ticket(_ticket(follow_up_of="T000007", refused_files=REFUSED))
    assert receipt is not None
    address = SUPPORT.reply_address("T000042", BEN)
    assert address is not None
    english = receipts.notes(receipt, "en", address)
    assert english == [
        "It is a follow-up of ticket T000007.",
        "These attachments were not kept: setup.exe (type not allowed), "
        "scan.tiff (larger than 25 MB).",
        f"To add to your request, simply answer this mail: your answer goes to {address} "
        "and is added to ticket T000042.",
    ]
    german = receipts.notes(receipt, "de", None)
    assert german[0] == "Es ist ein Folgeticket zu T000007."
    assert "setup.exe (type not allowed)" in german[1]
    # Without a reply address an answer would reach no ticket: the portal is named instead.
    assert german[2] == "Um Ihre Anfrage zu ergänzen, öffnen Sie das Ticket im Portal."


def test_a_plain_confirmation_says_only_where_to_answer() -> None:
    receipt = receipts.of_ticket(_ticket())
    assert receipt is not None
    assert receipts.notes(receipt, "en", None) == [
        "To add to your request, open the ticket in the portal."
    ]


def test_a_mail_added_to_a_ticket_is_answered_only_for_its_refused_files() -> None:
    data = {"ticket_number": "T000042", "ticket_title": "Printer jams", "author_id": str(BEN)}
    portal = {**data, "channel": "portal", "refused_files": REFUSED}
    assert receipts.of_message(ReceivedMessageFacts.model_validate(portal)) is None
    # A mail without refusals: an in-app entry for its sender, no mail.
    plain = receipts.of_message(ReceivedMessageFacts.model_validate({**data, "channel": "email"}))
    assert plain is not None and plain.key == "message_received" and plain.mail is False
    facts = ReceivedMessageFacts.model_validate(
        {**data, "channel": "email", "refused_files": REFUSED[:1]}
    )
    receipt = receipts.of_message(facts)
    assert receipt is not None and receipt.key == "files_refused" and receipt.mail is True
    notes = receipts.notes(receipt, "en", SUPPORT.reply_address("T000042", BEN))
    assert notes == ["These attachments were not kept: setup.exe (type not allowed)."]


@pytest.mark.parametrize(
    "address",
    [
        "MAILER-DAEMON@mx.example.org",
        "postmaster@example.org",
        "noreply@shop.example",
        "no-reply@shop.example",
        "No_Reply+bounces@shop.example",
        "noreply-billing@shop.example",
        "donotreply@bank.example",
        "not-an-address",
    ],
)
def test_machine_addresses_are_recognised(address: str) -> None:
    assert is_machine(address)


@pytest.mark.parametrize("address", ["dora@example.org", "reply@example.org", "post@x.example"])
def test_peoples_addresses_are_not_taken_for_machines(address: str) -> None:
    assert not is_machine(address)


def _rejected(address: str, reason: str = "unknown_sender") -> RejectedMailFacts:
    return RejectedMailFacts(
        message_id="m1@example.org", address=address, reason=reason, received_at=datetime.now(UTC)
    )


def test_an_answer_goes_only_to_an_unknown_person_while_switched_on() -> None:
    assert answerable(_rejected("dora@example.org"), SUPPORT, enabled=True)
    assert not answerable(_rejected("dora@example.org"), SUPPORT, enabled=False)
    assert not answerable(_rejected("dora@example.org", "other"), SUPPORT, enabled=True)
    assert not answerable(_rejected("postmaster@example.org"), SUPPORT, enabled=True)
    # Never to the support mailbox itself or its reply addresses: no loop with ourselves.
    assert not answerable(_rejected("Support+abc.t000042@portal.example"), SUPPORT, enabled=True)
    assert not answerable(_rejected("dora@example.org\r\nBcc: x@y"), SUPPORT, enabled=True)
