"""Queueing and sending mails: written in the consumer's transaction, sent by a task,
retried with growing waits, dead-lettered after the last attempt."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from typing import TYPE_CHECKING, cast

from portal_chassis.errors import NotFound
from portal_notify.mail.headers import GENERATED, REPLIED, Thread
from portal_notify.mail.metrics import MAIL_DEAD_LETTERED, MAIL_QUEUE, MAIL_RETRIED, MAIL_SENT
from portal_notify.mail.models import MailStatus, OutgoingMail
from portal_notify.mail.render import RenderedMail
from portal_notify.mail.transport import DeliveryError, transport_of

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime
    from portal_notify.settings import NotifySettings
    from portal_notify.uow import NotifyUoW

log = logging.getLogger(__name__)

SEND_TASK = "send_mail"


def new_mail(
    *,
    dedupe_key: str,
    kind: str,
    language: str,
    recipient_id: uuid.UUID | None,
    to_address: str,
    rendered: RenderedMail,
    thread: Thread | None = None,
) -> OutgoingMail:
    mail_id = uuid.uuid4()
    return OutgoingMail(
        id=mail_id,
        dedupe_key=dedupe_key,
        kind=kind,
        language=language,
        recipient_id=recipient_id,
        to_address=to_address,
        subject=rendered.subject,
        text_body=rendered.text,
        html_body=rendered.html,
        status=MailStatus.PENDING,
        attempts=0,
        next_attempt_at=datetime.now(UTC),
        message_id=thread.message_id(mail_id) if thread else None,
        in_reply_to=thread.parent if thread else None,
        references=thread.references if thread else None,
        reply_to=thread.reply_to if thread else None,
        auto_submitted=thread.auto_submitted if thread else GENERATED,
    )


def build_message(mail: OutgoingMail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to_address
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))
    _conversation_headers(message, mail, sender)
    message.set_content(mail.text_body or "")
    message.add_alternative(mail.html_body or "", subtype="html")
    message["Content-Language"] = mail.language  # after the parts: set_content drops it
    return message


def _conversation_headers(message: EmailMessage, mail: OutgoingMail, sender: str) -> None:
    # The same id on every attempt: a mail client shows a resent mail only once.
    domain = parseaddr(sender)[1].rpartition("@")[2] or "portal"
    message["Message-ID"] = mail.message_id or f"<{mail.id.hex}@{domain}>"
    if mail.in_reply_to:
        message["In-Reply-To"] = mail.in_reply_to
    if mail.references:
        message["References"] = mail.references
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    # RFC 3834: auto-responders do not answer us (and we answer no auto-responder).
    message["Auto-Submitted"] = mail.auto_submitted or GENERATED
    if mail.auto_submitted == REPLIED:
        message["Precedence"] = "auto_reply"
    # Exchange's out-of-office and similar answers look at this instead.
    message["X-Auto-Response-Suppress"] = "All"


def backoff(settings: NotifySettings, attempts: int) -> float:
    """Seconds before attempt `attempts + 1`: the base, doubled each time, up to the maximum."""
    return min(
        settings.mail_retry_base_seconds * 2.0 ** (attempts - 1), settings.mail_retry_max_seconds
    )


def _uow(runtime: Runtime) -> NotifyUoW:
    return cast("NotifyUoW", runtime.uow())


async def send_mail(runtime: Runtime, mail_id: str) -> str:
    """One attempt at one mail. Safe to run twice: only the holder of the claim sends."""
    settings = cast("NotifySettings", runtime.settings)
    key = uuid.UUID(mail_id)
    async with _uow(runtime) as uow:
        claimed = await uow.mails.claim(
            key, datetime.now(UTC), hold=settings.mail_timeout_seconds * 2 + 30
        )
        await uow.commit()
        if not claimed:
            return "skipped"
        mail = await uow.mails.get(key)
        assert mail is not None
        try:
            await transport_of(runtime).send(build_message(mail, settings.mail_from))
        except DeliveryError as exc:
            return await _failed(runtime, uow, mail, exc)
        mail.status = MailStatus.SENT
        mail.attempts += 1
        mail.sent_at = datetime.now(UTC)
        mail.locked_until = None
        mail.last_error = None
        mail.text_body = mail.html_body = None
        await uow.commit()
    MAIL_SENT.labels(mail.kind).inc()
    return "sent"


async def _failed(runtime: Runtime, uow: NotifyUoW, mail: OutgoingMail, exc: DeliveryError) -> str:
    settings = cast("NotifySettings", runtime.settings)
    mail.attempts += 1
    mail.last_error = str(exc)[:500]
    mail.locked_until = None
    if exc.permanent or mail.attempts >= settings.mail_max_attempts:
        mail.status = MailStatus.DEAD
        await uow.commit()
        MAIL_DEAD_LETTERED.labels(mail.kind).inc()
        log.warning(
            "mail dead-lettered",
            extra={"mail_id": str(mail.id), "attempts": mail.attempts, "error": mail.last_error},
        )
        return "dead"
    wait = backoff(settings, mail.attempts)
    mail.next_attempt_at = datetime.now(UTC) + timedelta(seconds=wait)
    await uow.commit()
    MAIL_RETRIED.labels(mail.kind).inc()
    log.info("mail will be retried", extra={"mail_id": str(mail.id), "in_seconds": wait})
    await runtime.tasks.enqueue(SEND_TASK, countdown=wait, mail_id=str(mail.id))
    return "retry"


async def due_mail_ids(runtime: Runtime, *, limit: int = 500) -> list[str]:
    """Pending mails whose time has come and that nobody holds (a lost task, a restart)."""
    async with _uow(runtime) as uow:
        return [str(i) for i in await uow.mails.due_ids(datetime.now(UTC), limit=limit)]


async def refresh_queue_gauge(runtime: Runtime) -> None:
    async with _uow(runtime) as uow:
        counts = await uow.mails.unsent_counts()
    for status in (MailStatus.PENDING, MailStatus.DEAD):
        MAIL_QUEUE.labels(status.value).set(counts.get(status, 0))


async def retry_dead(uow: NotifyUoW, mail_id: uuid.UUID) -> OutgoingMail:
    """An administrator sends a dead-lettered mail again (e.g. after fixing the server);
    a mail that is not dead is returned as it is."""
    async with uow:
        mail = await uow.mails.get(mail_id)
        if mail is None:
            raise NotFound("No such mail.")
        if mail.status is MailStatus.DEAD:
            mail.status = MailStatus.PENDING
            mail.attempts = 0
            mail.next_attempt_at = datetime.now(UTC)
            await uow.commit()
    return mail
