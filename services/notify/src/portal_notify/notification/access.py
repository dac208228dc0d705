"""Access requests, as notify tells of them: mails to people without an account (the
link that confirms their address, "you have an account already", a rejection) and, for
a confirmed request, a notice and a mail to those who decide: every active admin and the
active customer admins of the organization the address's domain matched."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Person
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence, Thread
from portal_notify.mail.models import OutgoingMail
from portal_notify.mail.service import new_mail
from portal_notify.notification import access_texts
from portal_notify.notification.events import NotificationCreated
from portal_notify.notification.facts import (
    AccessConfirmationFacts,
    AccessRejectedFacts,
    AccessSubmittedFacts,
    AccountExistsFacts,
)
from portal_notify.notification.models import Notification
from portal_notify.notification.texts import language_of
from portal_notify.uow import NotifyUoW

# The kind of the notice, and the profile switch for its mail.
DECIDE = "access_request"
REQUESTS_PATH = "/admin/access-requests"
SIGN_IN = "sign_in"


async def _mail_person(
    uow: NotifyUoW,
    event: Envelope,
    correspondence: Correspondence,
    *,
    key: str,
    to: str,
    name: str,
    language: str,
    link: str = "",
    action: str | None = None,
    notes: Sequence[str] = (),
    **values: str,
) -> uuid.UUID:
    """One mail to an address that is nobody's account (yet): always sent, nothing one
    could switch off."""
    words = access_texts.message(key, language, **values)
    async with uow:
        mail = new_mail(
            dedupe_key=f"{event.id}:{key}",
            kind=key,
            language=language,
            recipient_id=None,
            to_address=to,
            thread=correspondence.standalone(),
            rendered=render.render(
                language=language,
                subject=words["title"],
                name=name,
                intro=words["intro"],
                link=link,
                ticket=False,
                notes=notes,
                footer=access_texts.layout(language)["footer"],
                action=action,
            ),
        )
        uow.mails.add(mail)
        await uow.commit()
    return mail.id


async def mail_confirmation(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: AccessConfirmationFacts,
    correspondence: Correspondence,
) -> uuid.UUID:
    language = language_of(facts.language)
    return await _mail_person(
        uow,
        event,
        correspondence,
        key="access_confirm",
        to=facts.email,
        name=facts.name,
        language=language,
        link=facts.link,
        action=access_texts.layout(language)["confirm"],
        expires=facts.expires_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )


async def mail_account_exists(
    *, uow: NotifyUoW, event: Envelope, facts: AccountExistsFacts, correspondence: Correspondence
) -> uuid.UUID:
    language = language_of(facts.language)
    return await _mail_person(
        uow,
        event,
        correspondence,
        key="access_account_exists",
        to=facts.email,
        name=facts.name or ", ".join(facts.usernames),
        language=language,
        link=facts.link,
        action=access_texts.layout(language)["forgot"],
        usernames=", ".join(facts.usernames),
    )


async def mail_rejection(
    *, uow: NotifyUoW, event: Envelope, facts: AccessRejectedFacts, correspondence: Correspondence
) -> uuid.UUID | None:
    """Only to a person who asked on the sign-in page (a colleague asked nothing)."""
    if facts.origin != SIGN_IN:
        return None
    language = language_of(facts.language)
    words = access_texts.notes(language)
    notes = [words["reason"].format(reason=facts.reason)] if facts.reason.strip() else []
    return await _mail_person(
        uow,
        event,
        correspondence,
        key="access_rejected",
        to=facts.email,
        name=facts.name,
        language=language,
        notes=[*notes, words["questions"]],
    )


async def deciders(
    directory: DirectoryRepository, organization_id: uuid.UUID | None
) -> list[Person]:
    """Every active admin, and the active customer admins of the matched organization."""
    chosen = {p.id: p for p in await directory.with_role("admin")}
    if organization_id is not None:
        for person in await directory.with_role("customer_admin"):
            if person.organization_id == organization_id:
                chosen[person.id] = person
    # In a fixed order: two deliveries lock the same users' counters without deadlock.
    return sorted(chosen.values(), key=lambda p: p.id)


def _details(facts: AccessSubmittedFacts, language: str) -> list[str]:
    words = access_texts.notes(language)
    lines = []
    if facts.function:
        lines.append(words["function"].format(function=facts.function))
    if facts.phone:
        lines.append(words["phone"].format(phone=facts.phone))
    if facts.organization_id is None:
        lines.append(words["unmatched"])
    return lines


async def tell_deciders(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: AccessSubmittedFacts,
    public_url: str,
    correspondence: Correspondence,
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """A notice for each decider and a mail where they want one, in one transaction with
    the inbox mark. Returns (user ids, mail ids) to wake and send."""
    link = f"{public_url.rstrip('/')}{REQUESTS_PATH}"
    thread = correspondence.standalone()
    mails: list[uuid.UUID] = []
    async with uow:
        people = await deciders(uow.directory, facts.organization_id)
        for person in people:
            language = language_of(person.language)
            words = access_texts.message(
                DECIDE, language, name=facts.name, company=facts.company, email=facts.email
            )
            await _notify(uow, event, person, title=words["title"], body=facts.reason, link=link)
            if person.wants_mail(DECIDE):
                mail = _decider_mail(
                    event, facts, person, language, words=words, link=link, thread=thread
                )
                uow.mails.add(mail)
                mails.append(mail.id)
        await uow.commit()
    return [p.id for p in people], mails


def _decider_mail(
    event: Envelope,
    facts: AccessSubmittedFacts,
    person: Person,
    language: str,
    *,
    words: dict[str, str],
    link: str,
    thread: Thread,
) -> OutgoingMail:
    layout = access_texts.layout(language)
    return new_mail(
        dedupe_key=f"{event.id}:{person.id}",
        kind=DECIDE,
        language=language,
        recipient_id=person.id,
        to_address=person.email,
        thread=thread,
        rendered=render.render(
            language=language,
            subject=words["title"],
            name=person.display_name,
            intro=words["intro"],
            excerpt=facts.reason,
            link=link,
            ticket=False,
            notes=_details(facts, language),
            footer=layout["footer_deciders"],
            action=layout["open_requests"],
        ),
    )


async def _notify(
    uow: NotifyUoW, event: Envelope, person: Person, *, title: str, body: str, link: str
) -> None:
    """The in-app notice (about no ticket), and the event that announces it."""
    notification = Notification(
        id=uuid.uuid4(),
        user_id=person.id,
        user_seq=await uow.notifications.next_seq(person.id),
        kind=DECIDE,
        title=title[:400],
        body=body[:500],
        ticket_number=None,
        link=link,
        source_event_id=event.id,
        created_at=datetime.now(UTC),
    )
    uow.notifications.add(notification)
    uow.emit(
        NotificationCreated(
            id=notification.id,
            user_id=person.id,
            kind=DECIDE,
            title=notification.title,
            ticket_number=None,
            created_at=notification.created_at,
        )
    )
