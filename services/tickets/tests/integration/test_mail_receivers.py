"""The two ways mail comes in: the SMTP receiver (against a real SMTP client) and the IMAP
poller (against a real Dovecot). Each hands the raw mail over unchanged, refuses or sets
aside what can never be taken, keeps what failed for a passing reason, and stops quickly."""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import time
from collections.abc import AsyncIterator, Callable
from email import policy
from email.message import EmailMessage

import aiosmtplib
import pytest

from portal_chassis.testing.dovecot import Dovecot
from portal_tickets.mail_intake.delivery import MailEnvelope, Unprocessable
from portal_tickets.mail_intake.imap import ImapIntake
from portal_tickets.mail_intake.smtp import SmtpReceiver

pytestmark = pytest.mark.integration

Received = list[tuple[bytes, str]]


def _mail(n: int, subject: str = "Printer on fire") -> bytes:
    return (
        f"From: Ann <ann@customer.example>\r\n"
        f"To: support@portal.example\r\n"
        f"Subject: {subject} {n}\r\n"
        f"Message-ID: <m{n}@customer.example>\r\n"
        f"\r\n"
        f"Hello,\r\nit still burns ({n}).\r\n"
    ).encode()


def _message_id(raw: bytes) -> str:
    return str(email.message_from_bytes(raw)["Message-ID"])


class Inbox:
    """An `Accept` that records what it is given, or fails as told."""

    def __init__(self) -> None:
        self.received: Received = []
        self.envelopes: list[MailEnvelope | None] = []
        self.fail: Callable[[bytes], None] = lambda raw: None
        self.arrived = asyncio.Event()

    async def __call__(self, raw: bytes, source: str, envelope: MailEnvelope | None = None) -> None:
        self.fail(raw)
        self.received.append((raw, source))
        self.envelopes.append(envelope)
        self.arrived.set()


# -- SMTP ----------------------------------------------------------------------------------


@pytest.fixture
async def smtp() -> AsyncIterator[tuple[SmtpReceiver, Inbox]]:
    inbox = Inbox()
    receiver = SmtpReceiver(
        "smtp://127.0.0.1:0", inbox, domains=["Portal.example"], max_bytes=10_000
    )
    await receiver.start()
    yield receiver, inbox
    await receiver.stop()


async def _send(port: int, raw: bytes, to: str = "support@portal.example") -> None:
    await aiosmtplib.send(
        raw,
        sender="ann@customer.example",
        recipients=[to],
        port=port,
        hostname="127.0.0.1",
        timeout=10,
    )


async def test_smtp_hands_the_mail_over_byte_for_byte(smtp: tuple[SmtpReceiver, Inbox]) -> None:
    receiver, inbox = smtp
    # A line starting with a dot (dot-stuffed on the wire) and 8-bit UTF-8 text.
    raw = _mail(1) + ".signature\r\nGrüße\r\n".encode()
    await _send(receiver.port, raw, to="Support+ab12cd@PORTAL.example")
    assert inbox.received == [(raw, "smtp")]


async def test_smtp_hands_the_envelope_over(smtp: tuple[SmtpReceiver, Inbox]) -> None:
    receiver, inbox = smtp
    # Two recipients of ours (one only in the envelope, as with Bcc) and a null reverse path.
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=receiver.port, timeout=10) as client:
        await client.sendmail(
            "", ["support@portal.example", "Support+ab12cd@Portal.example"], _mail(1)
        )
        await client.sendmail("Ann@Customer.example", ["support@portal.example"], _mail(2))
    assert inbox.envelopes == [
        MailEnvelope(
            mail_from="", recipients=("support@portal.example", "Support+ab12cd@Portal.example")
        ),
        MailEnvelope(mail_from="Ann@Customer.example", recipients=("support@portal.example",)),
    ]


async def test_smtp_refuses_foreign_domains_at_rcpt(smtp: tuple[SmtpReceiver, Inbox]) -> None:
    receiver, inbox = smtp
    with pytest.raises(aiosmtplib.SMTPRecipientsRefused) as refused:
        await _send(receiver.port, _mail(1), to="support@portal.example.evil")
    assert refused.value.recipients[0].code == 550
    assert refused.value.recipients[0].message.startswith("5.1.1")
    assert inbox.received == []


async def test_smtp_refuses_oversized_mail(smtp: tuple[SmtpReceiver, Inbox]) -> None:
    receiver, inbox = smtp
    big = _mail(1) + b"x" * 78 + b"\r\n"
    big = big * (10_000 // len(big) + 1)
    # A client that declares the size is refused at MAIL FROM ...
    with pytest.raises(aiosmtplib.SMTPSenderRefused) as declared:
        await _send(receiver.port, big)
    assert (declared.value.code, declared.value.message[:5]) == (552, "5.3.4")
    # ... one that does not, after DATA.
    async with aiosmtplib.SMTP(hostname="127.0.0.1", port=receiver.port, timeout=10) as client:
        await client.mail("ann@customer.example")
        await client.rcpt("support@portal.example")
        with pytest.raises(aiosmtplib.SMTPDataError) as sent:
            await client.data(big)
    assert (sent.value.code, sent.value.message[:5]) == (552, "5.3.4")
    assert inbox.received == []


async def test_smtp_reports_an_unprocessable_mail_as_permanent(
    smtp: tuple[SmtpReceiver, Inbox],
) -> None:
    receiver, inbox = smtp

    def refuse(raw: bytes) -> None:
        raise Unprocessable("No ticket\nfor this address")

    inbox.fail = refuse
    with pytest.raises(aiosmtplib.SMTPDataError) as refused:
        await _send(receiver.port, _mail(1))
    assert refused.value.code == 550
    assert refused.value.message == "5.6.0 No ticket for this address"


async def test_smtp_asks_the_sender_to_retry_after_a_passing_fault(
    smtp: tuple[SmtpReceiver, Inbox],
) -> None:
    receiver, inbox = smtp

    def broken(raw: bytes) -> None:
        raise ConnectionError("database away")

    inbox.fail = broken
    with pytest.raises(aiosmtplib.SMTPDataError) as deferred:
        await _send(receiver.port, _mail(1))
    assert deferred.value.code == 451
    assert deferred.value.message.startswith("4.3.0")
    assert "database" not in deferred.value.message  # internals stay inside


async def test_smtp_stop_is_prompt_with_a_mail_in_flight() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def stuck(raw: bytes, source: str, envelope: MailEnvelope | None = None) -> None:
        started.set()
        try:
            await asyncio.sleep(3600)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    receiver = SmtpReceiver("smtp://127.0.0.1:0", stuck, domains=["portal.example"])
    await receiver.start()
    port = receiver.port
    idle = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=10)
    await idle.connect()  # a second client that just sits there
    sending = asyncio.create_task(_send(port, _mail(1)))
    await asyncio.wait_for(started.wait(), 5)

    began = time.monotonic()
    await receiver.stop()
    assert time.monotonic() - began < 2
    assert cancelled.is_set()
    with pytest.raises(aiosmtplib.SMTPException):
        await sending  # the sender saw no 250, so it keeps the mail and retries
    with pytest.raises(OSError):
        await asyncio.open_connection("127.0.0.1", port)
    idle.close()


# -- IMAP ----------------------------------------------------------------------------------


@pytest.fixture
def mailbox(dovecot: Dovecot) -> str:
    """A fresh mailbox owner, so no test sees another's mail."""
    return dovecot.add_user()


@pytest.fixture
async def intakes() -> AsyncIterator[list[ImapIntake]]:
    made: list[ImapIntake] = []
    yield made
    for intake in made:
        await intake.close()


def _intake(made: list[ImapIntake], url: str, inbox: Inbox, **options: float) -> ImapIntake:
    intake = ImapIntake(url, inbox, **options)
    made.append(intake)
    return intake


async def test_imap_hands_mail_over_in_order_and_files_it(
    dovecot: Dovecot, mailbox: str, intakes: list[ImapIntake]
) -> None:
    mails = [_mail(n) for n in range(3)]
    for raw in mails:
        dovecot.append(mailbox, raw)
    inbox = Inbox()
    intake = _intake(intakes, dovecot.url(mailbox), inbox)

    assert await intake.run_once() == 3
    label = f"imap:{mailbox}@{dovecot.host}/INBOX"
    assert inbox.received == [(raw, label) for raw in mails]
    assert dovecot.messages(mailbox, "INBOX") == []
    assert dovecot.messages(mailbox, "processed") == mails
    assert await intake.run_once() == 0  # the connection is reused; nothing is left


async def test_imap_sets_an_unprocessable_mail_aside_with_the_reason(
    dovecot: Dovecot, mailbox: str, intakes: list[ImapIntake]
) -> None:
    good, bad, worse = _mail(1), _mail(2, "Spam"), _mail(3, "Müll")
    for raw in (good, bad, worse):
        dovecot.append(mailbox, raw)
    inbox = Inbox()

    def judge(raw: bytes) -> None:
        if raw == bad:
            raise Unprocessable("No ticket for this address")
        if raw == worse:
            raise Unprocessable("Kein Ticket für\ndiese Adresse")

    inbox.fail = judge
    assert await _intake(intakes, dovecot.url(mailbox), inbox).run_once() == 3

    assert dovecot.messages(mailbox, "INBOX") == []
    assert dovecot.messages(mailbox, "processed") == [good]
    failed = dovecot.messages(mailbox, "failed")
    assert failed[0] == b"X-Portal-Failure: No ticket for this address\r\n" + bad
    worse_copy = email.message_from_bytes(failed[1], policy=policy.default)
    assert isinstance(worse_copy, EmailMessage)
    assert worse_copy["X-Portal-Failure"] == "Kein Ticket für diese Adresse"
    assert failed[1].endswith(worse)


async def test_imap_keeps_a_mail_after_a_passing_fault_and_retries_it(
    dovecot: Dovecot, mailbox: str, intakes: list[ImapIntake]
) -> None:
    raw = _mail(1)
    dovecot.append(mailbox, raw)
    inbox = Inbox()
    faults = [ConnectionError("database away")]

    def flaky(_: bytes) -> None:
        if faults:
            raise faults.pop()

    inbox.fail = flaky
    intake = _intake(intakes, dovecot.url(mailbox), inbox)

    assert await intake.run_once() == 0
    assert dovecot.messages(mailbox, "INBOX") == [raw]
    assert dovecot.messages(mailbox, "processed") == []
    assert await intake.run_once() == 1
    assert [r for r, _ in inbox.received] == [raw]
    assert dovecot.messages(mailbox, "INBOX") == []
    assert dovecot.messages(mailbox, "processed") == [raw]


async def test_two_pollers_on_one_mailbox_take_every_mail_without_crashing(
    dovecot: Dovecot, mailbox: str, intakes: list[ImapIntake]
) -> None:
    mails = [_mail(n) for n in range(12)]
    for raw in mails:
        dovecot.append(mailbox, raw)
    inbox = Inbox()

    async def slow(raw: bytes, source: str) -> None:
        await asyncio.sleep(0.01)  # lets the two pollers overlap
        await inbox(raw, source)

    first, second = (ImapIntake(dovecot.url(mailbox), slow) for _ in range(2))
    intakes.extend([first, second])
    for _ in range(2):
        await asyncio.gather(first.run_once(), second.run_once())

    expected = sorted(_message_id(raw) for raw in mails)
    assert sorted({_message_id(raw) for raw, _ in inbox.received}) == expected
    assert dovecot.messages(mailbox, "INBOX") == []
    # Every mail is filed; two replicas racing for the same one may both file a copy
    # (the server checks the claim against each session's view), never lose it.
    filed = [_message_id(raw) for raw in dovecot.messages(mailbox, "processed")]
    assert sorted(set(filed)) == expected
    assert len(filed) <= 2 * len(expected)


async def test_imap_idle_wakes_the_poller_on_new_mail_and_stop_ends_it(
    dovecot: Dovecot, mailbox: str, intakes: list[ImapIntake]
) -> None:
    dovecot.append(mailbox, _mail(1))
    inbox = Inbox()
    intake = _intake(intakes, dovecot.url(mailbox), inbox, poll_seconds=30)
    stop = asyncio.Event()
    running = asyncio.create_task(intake.run(stop))
    await asyncio.wait_for(inbox.arrived.wait(), 10)
    inbox.arrived.clear()
    await asyncio.sleep(0.5)  # the poller is idling now

    began = time.monotonic()
    await asyncio.to_thread(dovecot.append, mailbox, _mail(2))
    await asyncio.wait_for(inbox.arrived.wait(), 5)  # far sooner than the 30 s poll
    assert time.monotonic() - began < 5
    assert [_message_id(raw) for raw, _ in inbox.received] == [
        "<m1@customer.example>",
        "<m2@customer.example>",
    ]

    await asyncio.sleep(0.3)
    began = time.monotonic()
    stop.set()
    await asyncio.wait_for(running, 5)
    assert time.monotonic() - began < 2


async def test_imap_poller_reconnects_quietly_until_stopped(
    intakes: list[ImapIntake], caplog: pytest.LogCaptureFixture
) -> None:
    # A failed login would make Dovecot slow down every later login from this address,
    # so the fault here is a server that is not there.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"imap://support:s3cret%40pa%2Fss@127.0.0.1:{port}/INBOX"
    intake = _intake(intakes, url, Inbox(), poll_seconds=30)
    stop = asyncio.Event()
    with caplog.at_level(logging.DEBUG):
        running = asyncio.create_task(intake.run(stop))
        async with asyncio.timeout(10):
            while caplog.text.count("reconnecting in") < 2:  # it tried again after a pause
                await asyncio.sleep(0.05)
        assert not running.done()
        stop.set()
        began = time.monotonic()
        await asyncio.wait_for(running, 5)
    assert time.monotonic() - began < 1
    assert "reconnecting in 1 s" in caplog.text and "reconnecting in 2 s" in caplog.text
    assert f"imap://support@127.0.0.1:{port}/INBOX" in caplog.text
    assert "s3cret" not in caplog.text


async def test_imap_url_password_is_percent_decoded(
    dovecot: Dovecot, intakes: list[ImapIntake]
) -> None:
    user = dovecot.add_user(password="s3cret@pa/ss%w+rd")
    dovecot.append(user, _mail(1))
    intake = _intake(intakes, dovecot.url(user), Inbox())
    assert await intake.run_once() == 1
