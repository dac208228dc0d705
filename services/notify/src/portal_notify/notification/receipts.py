"""Confirmations of what arrived by mail. The creator of a ticket opened by mail hears
that it was received: its number and link, the ticket it follows up, the attachments
that were not kept, and where an answer goes to be added to it. The author of a mail
added to a ticket hears which of its attachments were not kept.

They answer the person's own mail, so no notification setting switches them off. Each
also leaves an entry in the sender's in-app list, already read (it tells them nothing
new), which refreshes their open ticket page: the mail they just sent shows up there.
The author of a mail added to a ticket gets a mail only when attachments were refused."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from portal_chassis.envelope import Envelope
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence
from portal_notify.mail.service import new_mail
from portal_notify.notification import texts
from portal_notify.notification.facts import (
    ReceivedMessageFacts,
    ReceivedTicketFacts,
    RefusedFileFacts,
)
from portal_notify.notification.models import Notification
from portal_notify.notification.service import ticket_link
from portal_notify.uow import NotifyUoW

EMAIL = "email"
NEW_TICKET = ("ticket_received", "ticket_received_review")


@dataclass(frozen=True)
class Receipt:
    key: str  # the entry in texts.MESSAGES
    number: str
    title: str
    recipient_id: uuid.UUID
    follow_up_of: str | None = None
    refused: tuple[RefusedFileFacts, ...] = ()
    mail: bool = True  # besides the in-app entry


def of_ticket(facts: ReceivedTicketFacts) -> Receipt | None:
    """The confirmation of a new ticket: only for one opened by mail. One that starts in
    its organization's internal review is not promised to the service desk."""
    if facts.channel != EMAIL:
        return None
    return Receipt(
        key="ticket_received" if facts.review is None else "ticket_received_review",
        number=facts.number,
        title=facts.title,
        recipient_id=facts.creator_id,
        follow_up_of=facts.follow_up_of,
        refused=tuple(facts.refused_files),
    )


def of_message(facts: ReceivedMessageFacts) -> Receipt | None:
    """The note on a mail added to a ticket: a mail only when attachments were refused."""
    if facts.channel != EMAIL:
        return None
    return Receipt(
        key="files_refused" if facts.refused_files else "message_received",
        number=facts.ticket_number,
        title=facts.ticket_title,
        recipient_id=facts.author_id,
        refused=tuple(facts.refused_files),
        mail=bool(facts.refused_files),
    )


def notes(receipt: Receipt, language: str, reply_address: str | None) -> list[str]:
    """The sentences after the intro: follow-up, refused files, how to add to the ticket."""
    words = texts.receipt(language)
    found = []
    if receipt.follow_up_of:
        found.append(words["follow_up"].format(number=receipt.follow_up_of))
    if receipt.refused:
        files = ", ".join(
            words["refused_file"].format(name=f.filename, reason=f.reason) for f in receipt.refused
        )
        found.append(words["refused"].format(files=files))
    if receipt.key in NEW_TICKET:
        # Without signing keys there is no reply address: an answer would find no ticket.
        found.append(
            words["answer"].format(address=reply_address, number=receipt.number)
            if reply_address
            else words["portal"]
        )
    return found


async def send(
    *,
    uow: NotifyUoW,
    event: Envelope,
    receipt: Receipt,
    public_url: str,
    correspondence: Correspondence,
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """Write the in-app entry and queue the mail in one transaction with the inbox mark;
    (whom to wake, which mail to send), None for what was not made: nothing for a
    recipient no longer active."""
    async with uow:
        person = (await uow.directory.people({receipt.recipient_id})).get(receipt.recipient_id)
        if person is None:
            # Their own events have not reached the directory yet: the bus retries.
            raise LookupError(f"user {receipt.recipient_id} not known yet")
        if not person.active:
            return None, None
        language = texts.language_of(person.language)
        words = texts.message(receipt.key, language, number=receipt.number, title=receipt.title)
        link = ticket_link(public_url, receipt.number)
        await _entry(uow, event, receipt, person.id, title=words["title"], link=link)
        mail = None
        if receipt.mail and person.email:
            address = correspondence.reply_address(receipt.number, person.id)
            mail = new_mail(
                # Apart from the notification mails of the same event.
                dedupe_key=f"{event.id}:{person.id}:{receipt.key}",
                kind=receipt.key,
                language=language,
                recipient_id=person.id,
                to_address=person.email,
                thread=correspondence.about_ticket(receipt.number, person.id),
                rendered=render.render(
                    language=language,
                    subject=f"[{receipt.number}] {words['title']}",
                    name=person.display_name,
                    intro=words["intro"],
                    notes=notes(receipt, language, address),
                    link=link,
                    footer=texts.layout(language)["footer_receipt"],
                ),
            )
            uow.mails.add(mail)
        await uow.commit()
    return person.id, mail.id if mail else None


async def _entry(
    uow: NotifyUoW, event: Envelope, receipt: Receipt, user_id: uuid.UUID, *, title: str, link: str
) -> None:
    now = datetime.now(UTC)
    uow.notifications.add(
        Notification(
            id=uuid.uuid4(),
            user_id=user_id,
            user_seq=await uow.notifications.next_seq(user_id),
            kind=receipt.key,
            title=title,
            body="",
            ticket_number=receipt.number,
            link=link,
            source_event_id=event.id,
            created_at=now,
            read_at=now,
        )
    )
