"""Links between tickets, and merging a duplicate into another ticket."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound
from portal_tickets.contracts.service import terms_of_ticket
from portal_tickets.links import rules, texts
from portal_tickets.links.events import TicketMerged
from portal_tickets.links.models import LinkKind, TicketLink
from portal_tickets.links.permissions import may_see_linked
from portal_tickets.links.schemas import LinkKindName
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.ticket.models import Article, ArticleKind, Status, Ticket
from portal_tickets.ticket.permissions import reader
from portal_tickets.ticket.service import visible_ticket
from portal_tickets.uow import TicketsUoW

ALL_KINDS = frozenset(ArticleKind)


def _now() -> datetime:
    return datetime.now(UTC)


async def _ticket(uow: TicketsUoW, number: str, actor: Actor, *, lock: bool = False) -> Ticket:
    """A ticket by the one visibility rule: staff do not see a ticket still in its
    organization's internal review, which answers as a missing one (404)."""
    return await visible_ticket(uow, number, actor, lock=lock)


def _unknown(field: str) -> InvalidInput:
    return InvalidInput([rules.error(field, "No such ticket.", "unknown_ticket")])


async def _other(uow: TicketsUoW, number: str, field: str, actor: Actor) -> Ticket:
    """The ticket a request body names: a missing one, or one the actor may not see, is a
    field error (the same either way), not a 404."""
    try:
        return await _ticket(uow, number, actor)
    except NotFound:
        raise _unknown(field) from None


# --- links ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkOutcome:
    other: Ticket
    # What the link is, seen from the ticket it was made on (a merge may be there already).
    kind: LinkKindName
    created: bool


async def add_link(*, uow: TicketsUoW, number: str, other: str, actor: Actor) -> LinkOutcome:
    """Link two tickets as related (shown on both); linking them again changes nothing.
    Tickets of different organizations may be linked (one cause, several customers):
    customers see the link only where they may see the other ticket."""
    try:
        return await _add_link(uow, number, other, actor)
    except IntegrityError:
        # The same link, made at the same moment by someone else: it is there now.
        return await _add_link(uow, number, other, actor)


async def _add_link(uow: TicketsUoW, number: str, other: str, actor: Actor) -> LinkOutcome:
    async with uow:
        ticket = await _ticket(uow, number, actor)
        linked = await _other(uow, other, "number", actor)
        if linked.id == ticket.id:
            raise InvalidInput(
                [rules.error("number", "A ticket cannot be linked to itself.", "self_link")]
            )
        existing = await uow.links.between(ticket.id, linked.id)
        if existing is not None:
            kind = rules.kind_on(ticket.id, existing)
            return LinkOutcome(other=linked, kind=kind, created=False)
        link = TicketLink(
            id=uuid.uuid4(),
            ticket_id=ticket.id,
            other_id=linked.id,
            kind=LinkKind.RELATED,
            created_by=actor.id,
            created_at=_now(),
        )
        uow.links.add(link)
        await uow.commit()
    return LinkOutcome(other=linked, kind="related", created=True)


async def remove_link(*, uow: TicketsUoW, number: str, other: str, actor: Actor) -> None:
    """Remove the related link between two tickets (none there: nothing to do). A merge
    stays: its messages moved, which removing the link would not undo."""
    async with uow:
        ticket = await _ticket(uow, number, actor)
        linked = await _ticket(uow, other, actor)
        existing = await uow.links.between(ticket.id, linked.id)
        if existing is None:
            return
        if existing.kind is LinkKind.MERGED:
            raise Conflict("A merge cannot be undone by removing its link.")
        await uow.links.delete(existing)
        await uow.commit()


# --- merging --------------------------------------------------------------------------


async def merge(*, uow: TicketsUoW, number: str, into: str, actor: Actor) -> Ticket:
    """Merge the duplicate `number` into `into`, in one transaction: its correspondence
    (messages, internal notes and their files) moves to `into` and keeps its times, so
    the two threads interleave; its followers follow `into`; both tickets get a system
    note; the duplicate is closed (its SLA clock stops) pointing to `into`. Returns the
    ticket merged into."""
    async with uow:
        source, target = await _lock_pair(uow, number, into, actor)
        if (refusal := rules.source_refusal(source)) is not None:
            raise Conflict(refusal)
        if errors := rules.target_errors(source, target):
            raise InvalidInput(errors)
        at = _now()
        articles = await uow.tickets.articles(source.id, kinds=ALL_KINDS)
        description = "" if rules.has_opening(source, articles) else source.description
        for article in articles:
            article.ticket_id = target.id  # its files stay attached to it
            await uow.search.index_article(article)
        await _move_followers(uow, source, target, at)
        await _note(uow, source, actor, at, texts.both(texts.MERGED_INTO, into=target.number))
        await _note(uow, target, actor, at, _merged_from(source, description))
        await _link_merged(uow, source, target, actor, at)
        source.merged_into = target.number
        calendar = await _calendar(uow, source)
        source.set_status(Status.CLOSED, actor_id=actor.id, at=at, calendar=calendar)
        await uow.session.flush()  # the tickets' own events first, the merge last
        uow.emit(
            TicketMerged(
                number=source.number,
                into=target.number,
                organization_id=source.organization_id,
                moved_article_ids=[a.id for a in articles],
                file_ids=rules.public_files(articles),
                actor_id=actor.id,
                occurred_at=at,
            )
        )
        await uow.commit()
    return target


async def _lock_pair(
    uow: TicketsUoW, number: str, into: str, actor: Actor
) -> tuple[Ticket, Ticket]:
    """Both tickets, locked in the order of their numbers, so that two merges of the
    same pair (either way) wait for each other instead of deadlocking. One the actor
    may not see (still in review) is as missing as an unknown number."""
    found: dict[str, Ticket | None] = {}
    for each in sorted({number, into}):
        try:
            found[each] = await _ticket(uow, each, actor, lock=True)
        except NotFound:
            found[each] = None
    source, target = found[number], found[into]
    if source is None:
        raise NotFound(f"No ticket {number}.")
    if target is None:
        raise _unknown("into")
    return source, target


def _merged_from(source: Ticket, description: str) -> str:
    body = texts.both(texts.MERGED_FROM, source=source.number, title=source.title)
    if description.strip():
        # Its description was no message of its own: without it here it would be lost.
        heading = texts.both(texts.DESCRIPTION, source=source.number)
        body = f"{body}\n\n{heading}\n{description}"
    return body


async def _note(uow: TicketsUoW, ticket: Ticket, actor: Actor, at: datetime, body: str) -> None:
    note = Article(
        id=uuid.uuid4(),
        ticket_id=ticket.id,
        kind=ArticleKind.SYSTEM,
        body=body,
        author_id=actor.id,
        author_is_staff=actor.is_staff,
        author_organization_id=actor.organization_id,
        attachment_ids=[],
        created_at=at,
    )
    ticket.add_article(note)
    await uow.search.index_article(note)


async def _move_followers(uow: TicketsUoW, source: Ticket, target: Ticket, at: datetime) -> None:
    """The duplicate's followers, and its creator and contact, follow the ticket it went
    into, so they keep hearing about their request: those who may see it (a customer
    whose organization keeps tickets to the people on them may not; they stay with the
    duplicate). Its people who are the target's own hear of it anyway."""
    followers = {f.user_id: f for f in await uow.links.followers(source.id)}
    wanted = set(followers) | {source.creator_id, source.contact_id}
    wanted -= {target.creator_id, target.contact_id}
    users = await uow.directory.users(wanted)
    org = (
        await uow.directory.organization(target.organization_id) if target.organization_id else None
    )
    for user_id in sorted(wanted):
        user = users.get(user_id)
        if user is None or not user.active or not may_see_linked(reader(user), target, org):
            continue
        if await uow.tickets.follower(target.id, user_id) is None:
            uow.tickets.add_follower(target.follow(user_id, at=at))
        if (follower := followers.get(user_id)) is not None:
            source.unfollow(user_id)
            await uow.tickets.remove_follower(follower)


async def _link_merged(
    uow: TicketsUoW, source: Ticket, target: Ticket, actor: Actor, at: datetime
) -> None:
    """The merge as the pair's link (a related link between them becomes it)."""
    link = await uow.links.between(source.id, target.id)
    if link is None:
        link = TicketLink(id=uuid.uuid4(), created_by=actor.id, created_at=at)
        uow.links.add(link)
    link.ticket_id, link.other_id, link.kind = source.id, target.id, LinkKind.MERGED


async def _calendar(uow: TicketsUoW, ticket: Ticket) -> BusinessCalendar | None:
    """The ticket's business calendar when closing it ends a pause of its SLA clock."""
    if ticket.sla_paused_at is None:
        return None
    terms = await terms_of_ticket(
        uow,
        organization_id=ticket.organization_id,
        contract_id=ticket.contract_id,
        calendar_id=ticket.sla_calendar_id,
    )
    return terms.business_calendar()
