"""Taking in one mail: thread it into its ticket, open a ticket, or make no message.

The rules are the portal's own: a mail becomes what its sender could have done in the
portal (`ticket.service.add_article` / `open_ticket`, as that user), so visibility,
reopening and attachment checks are the same. A reply address (`portal_chassis.
reply_address`) threads only when it names the sender; anything else is a new mail.
A mail is claimed by its Message-ID (its record, unique) before anything else happens,
so one worker takes it in however often it is fetched and by however many workers: only
that one stores its attachments and counts it against its sender's limit, once, however
often a passing fault makes it try again. The Message-ID is unique on the message it
becomes too, so one mail adds one message.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, NotFound
from portal_chassis.ratelimit import Limit, RateLimiter
from portal_chassis.reply_address import read_reply_address
from portal_tickets.directory.models import KnownUser
from portal_tickets.mail_intake.delivery import MailEnvelope, Unprocessable
from portal_tickets.mail_intake.metrics import ERRORS, MAILS, PROCESSING
from portal_tickets.mail_intake.models import InboundMail as InboundRecord
from portal_tickets.mail_intake.reading import InboundMail, MailUnreadable, one_line, read_mail
from portal_tickets.mail_intake.repository import RECEIVED
from portal_tickets.settings import TicketsSettings
from portal_tickets.ticket import service as tickets
from portal_tickets.ticket.events import MailRejected, RefusedFile
from portal_tickets.ticket.models import Category, Channel
from portal_tickets.ticket.schemas import ArticleCreate, TicketCreate
from portal_tickets.uow import TicketsUoW

# An agent's reply that starts with this line becomes an internal note (the line is dropped).
INTERNAL_KEYWORD = re.compile(r"\A\s*#(?:internal|intern)\b[^\n]*\n?", re.IGNORECASE)
SUBJECT_PREFIX = re.compile(r"^\s*((re|aw|fw|fwd|wg|antw)\s*(\[\d+\])?\s*:\s*)+", re.IGNORECASE)
# A sender writing more than this is a loop or a storm, not a person.
SENDER_LIMIT = Limit(count=30, window_seconds=3600)
# A worker taking a mail in holds it this long at most; after that (it died, say) the
# next attempt takes the mail over.
CLAIM_SECONDS = 600
# How long a second delivery of a mail waits for the worker holding it to finish; after
# that it is a passing fault, tried again later.
CLAIM_WAIT_SECONDS = 20.0
CLAIM_POLL_SECONDS = 0.1

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    THREADED = "threaded"  # a message on the ticket the reply address names
    OPENED = "opened"  # a new ticket
    FOLLOW_UP = "follow_up"  # a new ticket continuing a closed one
    REJECTED = "rejected"  # no known sender: answered politely by notify
    SUPPRESSED = "suppressed"  # machine mail or a storm: never a message, never answered
    DUPLICATE = "duplicate"  # taken in before
    FAILED = "failed"  # cannot be read or become a message: set aside (IMAP), refused (SMTP)


# The outcomes that made a message: taking such a mail in again adds nothing.
BECAME_MESSAGE = frozenset(o.value for o in (Outcome.THREADED, Outcome.OPENED, Outcome.FOLLOW_UP))


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


class MailBusy(Exception):
    """Another worker is still taking the same mail in: a passing fault, tried again."""


@dataclass
class _Claim:
    """This worker's hold on a mail: its record, with the outcome "received"."""

    message_id: str
    first: bool  # met for the first time (else taken over after a passing fault)
    counted: bool = False  # counted against the sender's limit


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

    async def take_in(
        self,
        raw: bytes,
        source: str,
        envelope: MailEnvelope | None = None,
        *,
        again: bool = False,
    ) -> Outcome:
        """Take one mail in (with its SMTP envelope, if it came with one); `again`
        replays a mail taken in before (`portal mail reprocess`): its record is updated,
        and a message it already became stays one."""
        started = time.monotonic()
        try:
            outcome, reason = await self._take_in(raw, source, envelope, again=again)
        except Unprocessable:
            raise  # counted where it is found; never retried, so not an error of ours
        except Exception:
            ERRORS.labels(source.partition(":")[0]).inc()
            raise
        finally:
            PROCESSING.observe(time.monotonic() - started)
        MAILS.labels(outcome.value, reason or "").inc()
        return outcome

    async def _take_in(
        self, raw: bytes, source: str, envelope: MailEnvelope | None, *, again: bool
    ) -> tuple[Outcome, str | None]:
        try:
            mail = read_mail(raw, envelope)
        except MailUnreadable as exc:
            MAILS.labels(Outcome.FAILED.value, "unreadable").inc()
            raise Unprocessable(str(exc)) from exc
        claim = await self._claim(mail, raw, source, again=again)
        if claim is None:
            return Outcome.DUPLICATE, None
        try:
            try:
                decision = await self._decide(mail, claim)
            except ValidationError as exc:
                # Reading makes a mail fit a ticket; one that still does not never will,
                # so it is refused for good instead of failing on every retry.
                decision = Decision(Outcome.FAILED, reason=_invalid(exc))
            await self._record(mail, raw, source, decision)
        except BaseException:
            await self._give_back(claim)
            raise
        if decision.outcome is Outcome.FAILED:
            MAILS.labels(Outcome.FAILED.value, "invalid").inc()
            raise Unprocessable(decision.reason or "invalid")
        return decision.outcome, decision.reason

    async def _claim(
        self, mail: InboundMail, raw: bytes, source: str, *, again: bool
    ) -> _Claim | None:
        """Claim the mail for this worker; None when it was taken in before (and is not
        taken in `again`). While another worker holds it, wait for that one to finish."""
        message_id = mail.message_id[:255]
        deadline = time.monotonic() + CLAIM_WAIT_SECONDS
        while True:
            now = datetime.now(UTC)
            until = now + timedelta(seconds=CLAIM_SECONDS)
            async with self.uow() as uow:
                record = await uow.mail.by_message_id(message_id)
                if record is None:
                    uow.mail.add(
                        InboundRecord(
                            message_id=message_id,
                            source=source[:200],
                            sender=mail.sender[:320],
                            subject=mail.subject[:200],
                            outcome=RECEIVED,
                            raw=raw,
                            received_at=now,
                            claimed_until=until,
                        )
                    )
                    try:
                        await uow.commit()
                        return _Claim(message_id, first=True)
                    except IntegrityError:
                        await uow.rollback()  # another worker recorded it meanwhile
                elif record.outcome != RECEIVED and (not again or record.outcome in BECAME_MESSAGE):
                    return None  # taken in before (by another worker, or an earlier delivery)
                elif await uow.mail.take_over(message_id, now=now, until=until, finished_too=again):
                    await uow.commit()
                    return _Claim(message_id, first=False)
            if time.monotonic() >= deadline:
                raise MailBusy(f"another worker is taking {message_id} in")
            await asyncio.sleep(CLAIM_POLL_SECONDS)

    async def _give_back(self, claim: _Claim) -> None:
        """After a passing fault: the next attempt takes the mail over at once, and does
        not count it against its sender again (unless it was not counted yet)."""
        try:
            async with self.uow() as uow:
                await uow.mail.give_back(claim.message_id, forget=claim.first and not claim.counted)
                await uow.commit()
        except Exception:
            log.warning("could not give back the claim on %s; it runs out", claim.message_id)

    async def _decide(self, mail: InboundMail, claim: _Claim) -> Decision:
        if mail.automated:
            return Decision(Outcome.SUPPRESSED, reason=mail.automated)
        if claim.first:
            # Counted when first met only: a mail tried again is still one mail.
            usage = await self.limiter.hit(f"mail:{mail.sender}", SENDER_LIMIT)
            claim.counted = True
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
        files = await self.store_files(user, mail)  # claimed: no other worker stores them
        try:
            return await self._write(mail, actor, files)
        except IntegrityError:
            # Another intake worker took the same mail in at the same moment.
            return Decision(Outcome.DUPLICATE)

    async def _write(self, mail: InboundMail, actor: Actor, files: StoredFiles) -> Decision:
        number = self._replied_ticket(mail, actor)
        follow_up_of = None
        tried: set[str] = set()
        while number is not None and number not in tried:
            tried.add(number)
            try:
                await self._reply(mail, actor, number, files)
                return Decision(Outcome.THREADED, number)
            except NotFound:
                number = None  # no longer theirs to see: a new request
            except Conflict:
                # A merged ticket's correspondence moved to the one it was merged into,
                # so the answer goes there too (if its sender may see that one).
                merged_into = await self._merged_into(number, actor)
                if merged_into is None:
                    follow_up_of = number  # closed, past the reopening window
                number = merged_into
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
            title=_title(mail),
            description=_text(mail, files),
            category=Category.INCIDENT,
            # None: P4, unless the organization's priority contract names another default.
            priority=None,
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

    async def _merged_into(self, number: str, actor: Actor) -> str | None:
        """The ticket `number` was merged into, if it was."""
        try:
            ticket = await tickets.get_ticket(uow=self.uow(), number=number, actor=actor)
        except NotFound:
            return None
        return ticket.merged_into

    async def _record(self, mail: InboundMail, raw: bytes, source: str, decision: Decision) -> None:
        now = datetime.now(UTC)
        async with self.uow() as uow:
            record = await uow.mail.by_message_id(mail.message_id[:255])
            if record is None:  # only if its claim was lost meanwhile
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
            record.claimed_until = None
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


NO_SUBJECT = "(kein Betreff / no subject)"
_TITLE_FROM_TEXT_CHARS = 80


def _title(mail: InboundMail) -> str:
    title = SUBJECT_PREFIX.sub("", mail.subject).strip()
    if not title:
        # No subject (or only control characters): the first words written name it.
        words = one_line(mail.text or mail.full_text)
        if len(words) > _TITLE_FROM_TEXT_CHARS:
            words = words[:_TITLE_FROM_TEXT_CHARS].rsplit(" ", 1)[0]
        title = words
    return (title or NO_SUBJECT)[:200]


def _invalid(exc: ValidationError) -> str:
    """Why a mail could not become a ticket or message, in one short line."""
    problem = "the mail cannot become a ticket or message"
    for error in exc.errors()[:1]:
        where = ".".join(str(part) for part in error["loc"]) or "mail"
        problem += f": {where}: {error['msg']}"
    return problem[:200]


def _origin(
    mail: InboundMail, files: StoredFiles, *, follow_up_of: str | None = None
) -> tickets.Origin:
    return tickets.Origin(
        channel=Channel.EMAIL,
        mail_message_id=mail.message_id[:255],
        follow_up_of=follow_up_of,
        refused_files=tuple(files.refused),
    )
