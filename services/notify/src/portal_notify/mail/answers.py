"""The automatic answer to a mail the service desk did not take because its sender is no
known, active user: in German and English, pointing to the portal and its sign-in, at
most once per address and day, never to an address that is a machine's (answering one
starts mail loops) and not at all while `NOTIFY_ANSWER_UNKNOWN_SENDERS` is off."""

from __future__ import annotations

import enum
import uuid
from datetime import UTC

from portal_chassis.envelope import Envelope
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence
from portal_notify.mail.metrics import AUTO_ANSWERS
from portal_notify.mail.service import new_mail
from portal_notify.notification import texts
from portal_notify.notification.facts import RejectedMailFacts
from portal_notify.uow import NotifyUoW

UNKNOWN_SENDER = "unknown_sender"
# Where someone without an account goes: the sign-in page, which offers both signing in
# and requesting access (/access/request).
ACCESS_PATH = "/login"
# Local parts of mailboxes no person reads: their mail is a bounce or a notice.
MACHINE_LOCAL_PARTS = frozenset({"mailer-daemon", "postmaster"})
MACHINE_PREFIXES = ("noreply", "no-reply", "no_reply", "donotreply", "do-not-reply")


class Outcome(enum.StrEnum):
    SENT = "sent"  # queued, that is: the send task takes it from here
    SUPPRESSED = "suppressed"


def is_machine(address: str) -> bool:
    local = address.strip().rpartition("@")[0].split("+", 1)[0].lower()
    return not local or local in MACHINE_LOCAL_PARTS or local.startswith(MACHINE_PREFIXES)


def is_own(address: str, correspondence: Correspondence) -> bool:
    """The support mailbox itself (or one of its reply addresses): never answer ourselves."""
    local, _, domain = address.strip().lower().rpartition("@")
    own_local, _, own_domain = correspondence.support.lower().rpartition("@")
    return domain == own_domain and local.split("+", 1)[0] == own_local


def answerable(facts: RejectedMailFacts, correspondence: Correspondence, *, enabled: bool) -> bool:
    return (
        enabled
        and facts.reason == UNKNOWN_SENDER
        and facts.address.isprintable()  # nothing that could end a mail header
        and not is_machine(facts.address)
        and not is_own(facts.address, correspondence)
    )


async def answer_unknown_sender(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: RejectedMailFacts,
    public_url: str,
    correspondence: Correspondence,
    enabled: bool,
) -> uuid.UUID | None:
    """Queue the answer to a rejected mail, or None when it gets none. The day's claim
    and the mail are one transaction (with the inbox mark): one answer a day, exactly."""
    mail_id = None
    if answerable(facts, correspondence, enabled=enabled):
        mail_id = await _queue(uow, event, facts, public_url, correspondence)
    AUTO_ANSWERS.labels(Outcome.SENT if mail_id else Outcome.SUPPRESSED).inc()
    return mail_id


async def _queue(
    uow: NotifyUoW,
    event: Envelope,
    facts: RejectedMailFacts,
    public_url: str,
    correspondence: Correspondence,
) -> uuid.UUID | None:
    address = facts.address.strip().lower()
    day = facts.received_at.astimezone(UTC).date()
    portal = public_url.rstrip("/")
    async with uow:
        if not await uow.mails.claim_answer(address, day):
            return None  # answered today already
        mail = new_mail(
            dedupe_key=f"{event.id}:answer",
            kind=UNKNOWN_SENDER,
            language=", ".join(render.ANSWER_LANGUAGES),
            recipient_id=None,
            to_address=facts.address.strip(),
            thread=correspondence.answer_to(facts.message_id),
            rendered=render.render_answer(
                subject=texts.ANSWER_SUBJECT,
                portal_link=portal,
                access_link=f"{portal}{ACCESS_PATH}",
            ),
        )
        uow.mails.add(mail)
        await uow.commit()
    return mail.id
