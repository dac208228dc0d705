"""Taking in one mail: thread it into its ticket, open a ticket, or make no message.

The rules are the portal's own: a mail becomes what its sender could have done in the
portal (`ticket.service.add_article` / `open_ticket`, as that user), so visibility,
reopening and attachment checks are the same. A reply address (`portal_chassis.
reply_address`) threads only when it names the sender; anything else is a new mail.
The Message-ID is unique on the message it becomes, so one mail adds one message,
however often it is fetched and by however many intake workers.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, NotFound
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_chassis.reply_address import read_reply_address
from portal_tickets.directory.models import KnownUser
from portal_tickets.mail_intake.delivery import Unprocessable
from portal_tickets.mail_intake.metrics import ERRORS, MAILS, PROCESSING
from portal_tickets.mail_intake.models import InboundMail as InboundRecord
from portal_tickets.mail_intake.reading import InboundMail, MailUnreadable, read_mail
from portal_tickets.settings import TicketsSettings
from portal_tickets.ticket import service as tickets
from portal_tickets.ticket.events import MailRejected, RefusedFile
from portal_tickets.ticket.models import Category, Channel, Priority
from portal_tickets.ticket.schemas import ArticleCreate, TicketCreate
from portal_tickets.uow import TicketsUoW

# An agent's reply that starts with this line becomes an internal note (the line is dropped).
INTERNAL_KEYWORD = re.compile(r"\A\s*#(?:internal|intern)\b[^\n]*\n?", re.IGNORECASE)
SUBJECT_PREFIX = re.compile(r"^\s*((re|aw|fw|fwd|wg|antw)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# A sender writing more than this is a loop or a storm, not a person.
SENDER_LIMIT = Limit(count=30, window_seconds=3600)


class Outcome(StrEnum):
    THREADED = "threaded"  # a message on the ticket the reply address names
    OPENED = "opened"  # a new ticket
    FOLLOW_UP = "follow_up"  # a new ticket continuing a closed one
    REJECTED = "rejected"  # no known sender: answered politely by notify
    SUPPRESSED = "suppressed"  # machine mail or a storm: never a message, never answered
    DUPLICATE = "duplicate"  # taken in before
    FAILED = "failed"  # not a mail that can be read: set aside (IMAP) or refused (SMTP)


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    number: str | None = None  # the ticket the mail went to
    reason: str | None = None  # why it became no message


@dataclass(frozen=True)
class StoredFiles:
    ids: list[uuid.UUID] = field(default_factory=list)
    refused: list[RefusedFile] = field(default_factory=list)


# Hands a mail's attachments to the files service on the sender's behalf.
FileSink = Callable[[KnownUser, InboundMail], Awaitable[StoredFiles]]


async def no_files(_user: KnownUser, mail: InboundMail) -> StoredFiles:
    reason = "attachments are not taken from mail here"
    return StoredFiles(
        refused=[RefusedFile(filename=a.filename, reason=reason) for a in mail.attachments]
    )


@dataclass
class Intake:
    uow: Callable[[], TicketsUoW]
    settings: TicketsSettings
    support_address: str
    signing_keys: Sequence[str]
    limiter: RateLimiter
    store_files: FileSink = no_files

    async def take_in(self, raw: bytes, source: str, *, again: bool = False) -> Outcome:
        """Take one mail in; `again` replays a mail taken in before (`portal mail
        reprocess`): its record is updated, and a message it already became stays one."""
        started = time.monotonic()
        try:
            outcome, reason = await self._take_in(raw, source, again=again)
        except Unprocessable:
            raise  # counted where it is found; never retried, so not an error of ours
        except Exception:
            ERRORS.labels(source.partition(":")[0]).inc()
            raise
        finally:
            PROCESSING.observe(time.monotonic() - started)
        MAILS.labels(outcome.value, reason or "").inc()
        return outcome

    async def _take_in(self, raw: bytes, source: str, *, again: bool) -> tuple[Outcome, str | None]:
        try:
            mail = read_mail(raw)
        except MailUnreadable as exc:
            MAILS.labels(Outcome.FAILED.value, "unreadable").inc()
            raise Unprocessable(str(exc)) from exc
        if not again and await self._seen(mail.message_id):
            return Outcome.DUPLICATE, None
        decision = await self._decide(mail)
        if decision.outcome is not Outcome.DUPLICATE:
            await self._record(mail, raw, source, decision)
        return decision.outcome, decision.reason

    async def _decide(self, mail: InboundMail) -> Decision:
        if mail.automated:
            return Decision(Outcome.SUPPRESSED, reason=mail.automated)
        usage = await self.limiter.hit(f"mail:{mail.sender}", SENDER_LIMIT)
        if usage.count > SENDER_LIMIT.count:
            return Decision(Outcome.SUPPRESSED, reason="sender-rate")
        user = await self._sender(mail.sender)
        if user is None:
            return Decision(Outcome.REJECTED, reason="unknown-sender")
        actor = Actor(
            id=user.id,
            username=user.username,
            organization_id=user.organization_id,
            roles=frozenset(user.roles),
        )
        files = await self.store_files(user, mail)
        try:
            return await self._write(mail, actor, files)
        except IntegrityError:
            # Another intake worker took the same mail in at the same moment.
            return Decision(Outcome.DUPLICATE)

    async def _write(self, mail: InboundMail, actor: Actor, files: StoredFiles) -> Decision:
        number = self._replied_ticket(mail, actor)
        follow_up_of = None
        if number is not None:
            try:
                await self._reply(mail, actor, number, files)
                return Decision(Outcome.THREADED, number)
            except NotFound:
                number = None  # no longer theirs to see: a new request
            except Conflict:
                follow_up_of = number  # closed, past the reopening window
        ticket = await self._open(mail, actor, files, follow_up_of)
        return Decision(Outcome.FOLLOW_UP if follow_up_of else Outcome.OPENED, ticket)

    def _replied_ticket(self, mail: InboundMail, actor: Actor) -> str | None:
        """The ticket a reply address among the recipients names for this sender. An
        address signed for someone else is ignored: never a message on a foreign ticket."""
        for address in mail.recipients:
            target = read_reply_address(address, self.signing_keys)
            if target is not None and target.user_id == actor.id:
                return target.ticket_number
        return None

    async def _reply(
        self, mail: InboundMail, actor: Actor, number: str, files: StoredFiles
    ) -> None:
        body = _text(mail, files)
        internal = actor.is_staff and bool(INTERNAL_KEYWORD.match(body))
        if internal:
            body = INTERNAL_KEYWORD.sub("", body, count=1).strip() or _EMPTY
        await tickets.add_article(
            uow=self.uow(),
            number=number,
            data=ArticleCreate(body=body, attachment_ids=files.ids, internal=internal),
            actor=actor,
            settings=self.settings,
            origin=_origin(mail, files),
        )

    async def _open(
        self, mail: InboundMail, actor: Actor, files: StoredFiles, follow_up_of: str | None
    ) -> str:
        data = TicketCreate(
            title=_title(mail.subject),
            description=_text(mail, files),
            category=Category.INCIDENT,
            priority=Priority.P4,
            attachment_ids=files.ids,
        )
        origin = _origin(mail, files, follow_up_of=follow_up_of)
        ticket = await tickets.open_ticket(
            uow=self.uow(),
            data=data,
            actor=actor,
            settings=self.settings,
            origin=origin,
        )
        return ticket.number

    async def _sender(self, address: str) -> KnownUser | None:
        """The one active user with this address; several (or none) make no sender."""
        async with self.uow() as uow:
            users = await uow.directory.active_users_by_email(address)
        return users[0] if len(users) == 1 else None

    async def _seen(self, message_id: str) -> bool:
        async with self.uow() as uow:
            return await uow.mail.by_message_id(message_id) is not None

    async def _record(self, mail: InboundMail, raw: bytes, source: str, decision: Decision) -> None:
        now = datetime.now(UTC)
        async with self.uow() as uow:
            record = await uow.mail.by_message_id(mail.message_id[:255])
            if record is None:
                record = InboundRecord(message_id=mail.message_id[:255], received_at=now)
                uow.mail.add(record)
            record.source = source[:200]
            record.sender = mail.sender[:320]
            record.subject = mail.subject[:200]
            record.outcome = decision.outcome.value
            record.reason = decision.reason
            record.ticket_number = decision.number
            record.raw = raw
            record.processed_at = now
            if decision.outcome is Outcome.REJECTED:
                uow.emit(
                    MailRejected(
                        message_id=mail.message_id,
                        address=mail.sender,
                        name=mail.sender_name,
                        subject=mail.subject,
                        reason="unknown_sender",
                        received_at=now,
                    )
                )
            try:
                await uow.commit()
            except IntegrityError:
                await uow.rollback()  # recorded by a worker that took it in too


_EMPTY = "(no text)"


def _text(mail: InboundMail, files: StoredFiles) -> str:
    """What the sender wrote now, and which of their files were not kept (so the desk
    knows what is missing; the sender is told too, by notify)."""
    text = (mail.text or mail.full_text).strip()[:99_000] or _EMPTY
    refused = [f"- {f.filename}: {f.reason}" for f in files.refused]
    if refused:
        text += "\n\n[Attachments not accepted / Anhänge nicht angenommen]\n" + "\n".join(refused)
    return text


def _title(subject: str) -> str:
    title = SUBJECT_PREFIX.sub("", subject).strip()
    return (title or "(no subject)")[:200]


def _origin(
    mail: InboundMail, files: StoredFiles, *, follow_up_of: str | None = None
) -> tickets.Origin:
    return tickets.Origin(
        channel=Channel.EMAIL,
        mail_message_id=mail.message_id[:255],
        follow_up_of=follow_up_of,
        refused_files=tuple(files.refused),
    )
