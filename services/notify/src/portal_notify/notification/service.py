"""Notification use cases: turning a routed event into in-app notifications and mails,
and the reader's side (list, mark read, the live stream)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.envelope import Envelope
from portal_chassis.errors import InvalidInput, NotFound
from portal_notify.directory.models import Person
from portal_notify.mail import render
from portal_notify.mail.headers import Correspondence, Thread
from portal_notify.mail.models import OutgoingMail
from portal_notify.mail.service import new_mail
from portal_notify.notification import texts
from portal_notify.notification.events import NotificationCreated
from portal_notify.notification.facts import AccountLinkFacts, SurveyRequestFacts
from portal_notify.notification.hub import Hub
from portal_notify.notification.models import Notification
from portal_notify.notification.routing import Message
from portal_notify.notification.schemas import NotificationPage, NotificationRead, ReadResult
from portal_notify.uow import NotifyUoW

STREAM_BATCH = 100


def ticket_link(public_url: str, number: str) -> str:
    return f"{public_url.rstrip('/')}/tickets/{number}"


def _status_for(person: Person, message: Message) -> str:
    # Staff see the internal status, customers the portal status they know from lists.
    code = message.status if person.is_staff else message.portal_status
    return texts.status_name(code or "", person.language)


async def deliver(
    *,
    uow: NotifyUoW,
    event: Envelope,
    message: Message,
    public_url: str,
    correspondence: Correspondence,
) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
    """Write a notification (and a mail, where wanted) for each recipient of each of the
    message's parts, in one transaction with the inbox mark. Returns (user ids, mail ids)
    to wake and send."""
    link = ticket_link(public_url, message.number)
    mails: list[uuid.UUID] = []
    # In a fixed order: two deliveries lock the same users' counters without deadlock.
    each = sorted(
        ((person, part) for part in message.parts for person in part.recipients),
        key=lambda pair: pair[0].id,
    )
    async with uow:
        actors = await uow.directory.people({message.actor_id} if message.actor_id else set())
        actor = actors.get(message.actor_id) if message.actor_id else None
        for person, part in each:
            language = texts.language_of(person.language)
            words = _words(part, person, language, actor)
            await _notify(uow, event, part, person, title=words["title"], link=link)
            if person.wants_mail(part.preference):
                thread = correspondence.about_ticket(part.number, person.id)
                mail = _ticket_mail(
                    event, part, person, language, words=words, link=link, thread=thread
                )
                uow.mails.add(mail)
                mails.append(mail.id)
        await uow.commit()
    return [person.id for person, _ in each], mails


def _words(message: Message, person: Person, language: str, actor: Person | None) -> dict[str, str]:
    layout = texts.layout(language)
    return texts.message(
        message.key,
        language,
        number=message.number,
        title=message.title,
        actor=actor.display_name if actor else layout["system"],
        status=_status_for(person, message),
        file=message.file or "",
        organization=message.organization or layout["customer"],
        rating=message.rating or "",
    )


async def _notify(
    uow: NotifyUoW, event: Envelope, message: Message, person: Person, *, title: str, link: str
) -> None:
    """The in-app notification, and the event that announces it."""
    notification = Notification(
        id=uuid.uuid4(),
        user_id=person.id,
        user_seq=await uow.notifications.next_seq(person.id),
        kind=message.key,
        title=title,
        body=message.excerpt[:500],
        ticket_number=message.number,
        link=link,
        source_event_id=event.id,
        created_at=datetime.now(UTC),
    )
    uow.notifications.add(notification)
    uow.emit(
        NotificationCreated(
            id=notification.id,
            user_id=person.id,
            kind=message.key,
            title=notification.title,
            ticket_number=message.number,
            created_at=notification.created_at,
        )
    )


def _ticket_mail(
    event: Envelope,
    message: Message,
    person: Person,
    language: str,
    *,
    words: dict[str, str],
    link: str,
    thread: Thread,
) -> OutgoingMail:
    return new_mail(
        dedupe_key=f"{event.id}:{person.id}",
        kind=message.key,
        language=language,
        recipient_id=person.id,
        to_address=person.email,
        thread=thread,
        rendered=render.render(
            language=language,
            subject=f"[{message.number}] {words['title']}",
            name=person.display_name,
            intro=words["intro"],
            excerpt=message.excerpt,
            link=link,
        ),
    )


async def mail_account_link(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: AccountLinkFacts,
    key: str,
    correspondence: Correspondence,
) -> uuid.UUID | None:
    """The password-reset or invitation mail: to the address in the event, always sent
    (it is not a notification one could switch off)."""
    language = texts.language_of(facts.language)
    expires = facts.expires_at.strftime("%Y-%m-%d %H:%M UTC")
    words = texts.message(key, language, username=facts.username, expires=expires)
    rendered = render.render(
        language=language,
        subject=words["title"],
        name=facts.display_name or facts.username,
        intro=words["intro"],
        link=facts.link,
        ticket=False,
    )
    return await queue_account_mail(
        uow,
        event=event,
        user_id=facts.user_id,
        email=facts.email,
        kind=key,
        language=language,
        correspondence=correspondence,
        rendered=rendered,
    )


async def queue_account_mail(
    uow: NotifyUoW,
    *,
    event: Envelope,
    user_id: uuid.UUID,
    email: str,
    kind: str,
    language: str,
    correspondence: Correspondence,
    rendered: render.RenderedMail,
) -> uuid.UUID:
    """Queue a mail about a person's own account (no ticket) to their address; once per
    event and person."""
    async with uow:
        mail = new_mail(
            dedupe_key=f"{event.id}:{user_id}",
            kind=kind,
            language=language,
            recipient_id=user_id,
            to_address=email,
            thread=correspondence.standalone(),
            rendered=rendered,
        )
        uow.mails.add(mail)
        await uow.commit()
    return mail.id


def survey_link(public_url: str, token: str, language: str) -> str:
    return f"{public_url.rstrip('/')}/survey/{token}?lang={language}"


async def mail_survey(
    *,
    uow: NotifyUoW,
    event: Envelope,
    facts: SurveyRequestFacts,
    public_url: str,
    correspondence: Correspondence,
) -> uuid.UUID | None:
    """The survey of a closed ticket, to its creator in their language, with the link
    that answers it without sign-in (the tickets service asked only those who did not opt
    out). Nobody to write to (not known here, deactivated, no address): no mail; the
    survey still waits on the ticket's page."""
    async with uow:
        person = (await uow.directory.people({facts.creator_id})).get(facts.creator_id)
        if person is None or not person.active or not person.email:
            return None
        language = texts.language_of(person.language or facts.language)
        words = texts.message("survey", language, number=facts.number, title=facts.title)
        layout = texts.layout(language)
        mail = new_mail(
            dedupe_key=f"{event.id}:{person.id}",
            kind="survey",
            language=language,
            recipient_id=person.id,
            to_address=person.email,
            thread=correspondence.standalone(),
            rendered=render.render(
                language=language,
                subject=f"[{facts.number}] {words['title']}",
                name=person.display_name or person.username,
                intro=words["intro"],
                link=survey_link(public_url, facts.token, language),
                ticket=False,
                footer=layout["footer_survey"],
                action=layout["rate"],
            ),
        )
        uow.mails.add(mail)
        await uow.commit()
    return mail.id


async def list_notifications(
    *, uow: NotifyUoW, actor: Actor, cursor: str | None, limit: int, unread_only: bool
) -> NotificationPage:
    before = _parse_cursor(cursor)
    async with uow:
        rows = await uow.notifications.newest(
            actor.id, before=before, limit=limit + 1, unread_only=unread_only
        )
        unread = await uow.notifications.unread_count(actor.id)
    more = len(rows) > limit
    rows = rows[:limit]
    return NotificationPage(
        items=[NotificationRead.of(n) for n in rows],
        next_cursor=str(rows[-1].user_seq) if more else None,
        unread_count=unread,
    )


def _parse_cursor(cursor: str | None) -> int | None:
    if cursor is None:
        return None
    if not cursor.isdigit() or len(cursor) > 19:
        raise InvalidInput([{"field": "cursor", "message": "Not a cursor.", "code": "cursor"}])
    return int(cursor)


async def mark_read(*, uow: NotifyUoW, actor: Actor, notification_id: uuid.UUID) -> ReadResult:
    async with uow:
        # Someone else's notification is indistinguishable from a missing one.
        found = await uow.notifications.get(actor.id, notification_id)
        if found is None:
            raise NotFound("No such notification.")
        marked = 0
        if found.read_at is None:
            found.read_at = datetime.now(UTC)
            marked = 1
        await uow.commit()
        unread = await uow.notifications.unread_count(actor.id)
    return ReadResult(marked=marked, unread_count=unread)


async def mark_all_read(*, uow: NotifyUoW, actor: Actor) -> ReadResult:
    async with uow:
        marked = await uow.notifications.mark_all_read(actor.id, datetime.now(UTC))
        await uow.commit()
    return ReadResult(marked=marked, unread_count=0)


def parse_last_event_id(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) <= 19 else None


async def stream(
    *,
    make_uow: Callable[[], NotifyUoW],
    hub: Hub,
    actor: Actor,
    last_event_id: int | None,
    heartbeat: float,
    ended: Callable[[], bool] = lambda: False,
    check_every: float = 2.0,
    also: Callable[[], Awaitable[list[str]]] | None = None,
) -> AsyncIterator[str]:
    """Server-sent events: first whatever came after `last_event_id` (a reconnecting
    browser loses nothing), then each new notification as it is written. The stream
    stops once `ended()` says the caller's sign-in was ended (looked at every
    `check_every` seconds): it outlives the request whose token was checked. `also`
    gives further events (e.g. `presence`), asked whenever the stream wakes or beats."""

    async def fetch(after: int) -> list[Notification]:
        async with make_uow() as uow:
            return await uow.notifications.after(actor.id, after, limit=STREAM_BATCH)

    with hub.listen(actor.id) as wake:
        if last_event_id is None:
            async with make_uow() as uow:
                last_event_id = await uow.notifications.last_seq(actor.id)
        last = last_event_id
        yield f"retry: 3000\nid: {last}\nevent: ready\ndata: {{}}\n\n"
        while True:
            wake.clear()
            rows = await fetch(last)
            for n in rows:
                data = NotificationRead.of(n).model_dump_json()
                yield f"id: {n.user_seq}\nevent: notification\ndata: {data}\n\n"
                last = n.user_seq
            if also is not None:
                for frame in await also():
                    yield frame
            if len(rows) == STREAM_BATCH:
                continue  # more are waiting
            quiet_until = time.monotonic() + heartbeat
            while not wake.is_set() and not ended():
                left = quiet_until - time.monotonic()
                if left <= 0:
                    yield ": keep-alive\n\n"
                    break
                with suppress(TimeoutError):
                    await asyncio.wait_for(wake.wait(), timeout=min(left, check_every))
            if ended():
                return
