"""Who hears about what: from an event to the message and its recipients.

The other party hears about a change, never the person who made it: customers about
the service desk's public replies and status changes they can see, the service desk
(the assignee, or every agent while nobody is assigned) about customers' messages, new
tickets and escalations. Followers hear what the ticket's own people hear. Internal
notes reach staff only, and a customer hears only about tickets they can open (the
tickets service's visibility rule, checked anew for every event: a follower whose
organization turned organization-wide visibility off, or who moved to another
organization, hears nothing more). A satisfaction survey's rating that turns low (1 or
2) reaches the service desk only: the ticket's assignee and its group's lead.

A ticket in its organization's internal review (`review` set) is the organization's
alone: the service desk hears nothing of it (the visibility rule keeps staff out), its
reviewers hear of it instead (a new ticket for their review, the requester's answer,
messages), and its requester hears when the reviewers ask them to check something. The
hand-over (`tickets.ticket.handed_over`) is the service desk's new ticket, and tells
the ticket's customers that it went to the vendor.

Each event is routed from its own facts (ROUTES says which it reads); the directory
supplies only what the event does not carry: the people, followers and organization
settings, and the creator, contact and assignee for events that name a ticket without
them (a message, a case file).
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from portal_chassis.consumers import EventFacts
from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Person, TicketCard
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.notification.facts import (
    ArticleFacts,
    FileFacts,
    SlaBreachFacts,
    StatusChangeFacts,
    SurveyAnswerFacts,
    Ticket,
    TicketCreatedFacts,
    TicketFacts,
    TicketUpdateFacts,
)
from portal_notify.notification.permissions import can_view


@dataclass
class Message:
    key: str  # the entry in texts.MESSAGES
    preference: str  # the profile switch that turns its e-mail on or off
    number: str
    title: str
    actor_id: uuid.UUID | None
    recipients: list[Person]
    excerpt: str = ""
    status: str | None = None  # internal status; customers are shown the portal status
    portal_status: str | None = None
    file: str | None = None
    organization: str | None = None  # the ticket's organization, by name
    rating: int | None = None  # a survey's rating, 1 to 5
    # The same event's notices to other people in other words (a hand-over tells the
    # service desk and the ticket's customers different things): delivered with it, to
    # none of its recipients twice.
    also: list[Message] = field(default_factory=list)

    @property
    def parts(self) -> list[Message]:
        return [self, *self.also]

    def __post_init__(self) -> None:
        seen = {p.id for p in self.recipients}
        for other in self.also:
            other.recipients = [p for p in other.recipients if p.id not in seen]
            seen |= {p.id for p in other.recipients}


class Router:
    def __init__(self, directory: DirectoryRepository) -> None:
        self.directory = directory

    async def route(self, event: Envelope) -> Message | None:
        route = ROUTES.get(event.type)
        if route is None:
            return None
        return await route.handler(self, route.reads.model_validate(event.data))

    # --- audiences -------------------------------------------------------------------

    async def _participants(self, ticket: Ticket) -> set[uuid.UUID]:
        ids = {ticket.creator_id, ticket.contact_id} | await self.directory.followers(ticket.id)
        if ticket.assignee_id is not None:
            ids.add(ticket.assignee_id)
        return ids

    async def _desk(self, ticket: Ticket) -> set[uuid.UUID]:
        """The assignee, or the agents' queue while nobody is assigned."""
        if ticket.assignee_id is not None:
            return {ticket.assignee_id}
        return {p.id for p in await self.directory.with_role("agent")}

    async def _reviewers(self, ticket: Ticket) -> set[uuid.UUID]:
        """The organization's reviewers, while the ticket is in its review."""
        if ticket.review is None:
            return set()
        return {p.id for p in await self.directory.reviewers(ticket.organization_id)}

    async def _people(
        self,
        ticket: Ticket,
        ids: Iterable[uuid.UUID],
        *,
        actor_id: uuid.UUID | None,
        staff_only: bool = False,
    ) -> list[Person]:
        people = await self.directory.people(set(ids) - {actor_id})
        org = await self.directory.organization(ticket.organization_id)
        chosen = []
        for person in people.values():
            if not person.active or not can_view(person, ticket, org):
                continue
            if staff_only and not person.is_staff:
                continue
            chosen.append(person)
        return sorted(chosen, key=lambda p: p.username)

    async def _card(self, ticket_id: uuid.UUID, number: str) -> TicketCard:
        card = await self.directory.card(ticket_id, number)
        if card is None:
            # Not even the tickets service knows it (yet): the bus retries.
            raise LookupError(f"ticket {number} not known yet")
        return card

    async def _message(
        self,
        ticket: Ticket,
        key: str,
        ids: set[uuid.UUID],
        *,
        actor_id: uuid.UUID | None,
        preference: str | None = None,
        staff_only: bool = False,
        also: list[Message] | None = None,
        **details: str | int | None,
    ) -> Message:
        return Message(
            key=key,
            preference=preference or key,
            number=ticket.number,
            title=ticket.title,
            actor_id=actor_id,
            recipients=await self._people(ticket, ids, actor_id=actor_id, staff_only=staff_only),
            also=also or [],
            **details,  # type: ignore[arg-type]
        )

    # --- events ----------------------------------------------------------------------

    async def ticket_created(self, facts: TicketCreatedFacts) -> Message:
        ticket = facts.ticket
        if ticket.review is not None:
            return await self._created_for_review(facts)
        ids = {ticket.contact_id} | await self._desk(ticket)
        if facts.channel == "email":
            # Its creator gets the confirmation of their mail instead (receipts.py).
            ids.discard(ticket.creator_id)
        return await self._message(ticket, "ticket_created", ids, actor_id=facts.actor_id)

    async def _created_for_review(self, facts: TicketCreatedFacts) -> Message:
        """Not the service desk's yet: its reviewers hear of it, its contact as usual."""
        ticket = facts.ticket
        contact = {ticket.contact_id}
        if facts.channel == "email":
            contact.discard(ticket.creator_id)  # confirmed apart (receipts.py)
        return await self._message(
            ticket,
            "ticket_review",
            await self._reviewers(ticket),
            actor_id=facts.actor_id,
            preference="ticket_created",
            also=[await self._message(ticket, "ticket_created", contact, actor_id=facts.actor_id)],
        )

    async def handed_over(self, facts: TicketFacts) -> Message:
        """The service desk's new ticket (heard as `tickets.ticket.created` is when the
        ticket starts with the vendor); its customers hear that it went to the vendor."""
        ticket = facts.ticket
        org = await self.directory.organization(ticket.organization_id)
        return await self._message(
            ticket,
            "ticket_handed_over",
            await self._desk(ticket),
            actor_id=facts.actor_id,
            preference="ticket_created",
            staff_only=True,
            organization=org.name if org is not None and org.name else None,
            also=[
                await self._message(
                    ticket,
                    "ticket_with_vendor",
                    {ticket.creator_id, ticket.contact_id},
                    actor_id=facts.actor_id,
                    preference="ticket_status",
                )
            ],
        )

    async def article_added(self, facts: ArticleFacts) -> Message:
        ticket = facts.ticket(await self._card(facts.ticket_id, facts.ticket_number))
        author = facts.author_id
        if facts.internal:
            return await self._message(
                ticket,
                "ticket_note",
                await self._participants(ticket),
                actor_id=author,
                preference="ticket_reply",
                staff_only=True,
            )
        if facts.escalation:
            ids = await self._desk(ticket) | await self._participants(ticket)
            return await self._message(
                ticket,
                "ticket_escalated",
                ids,
                actor_id=author,
                staff_only=True,
                excerpt=facts.excerpt,
            )
        ids = await self._participants(ticket) | await self._reviewers(ticket)
        if not facts.author_is_staff and ticket.review is None:
            ids |= await self._desk(ticket)
        return await self._message(
            ticket, "ticket_reply", ids, actor_id=author, excerpt=facts.excerpt
        )

    async def status_changed(self, facts: StatusChangeFacts) -> Message:
        ticket = facts.ticket
        # Internal steps (new → open → waiting internally) change nothing customers see.
        customers_see = facts.portal_status != facts.previous_portal_status
        return await self._message(
            ticket,
            "ticket_status",
            await self._participants(ticket),
            actor_id=facts.actor_id,
            staff_only=not customers_see,
            status=facts.status,
            portal_status=facts.portal_status,
        )

    async def ticket_updated(self, facts: TicketUpdateFacts) -> Message | None:
        review = facts.changes.get("review")
        if review and review[1] in REVIEW_NOTICES:
            key, preference = REVIEW_NOTICES[review[1]]
            ticket = facts.ticket
            ids = (
                {ticket.creator_id, ticket.contact_id}
                if review[1] == "requester"
                else await self._reviewers(ticket)
            )
            return await self._message(
                ticket, key, ids, actor_id=facts.actor_id, preference=preference
            )
        change = facts.changes.get("assignee_id")
        if not change or not change[1]:
            return None
        return await self._message(
            facts.ticket,
            "ticket_assigned",
            {uuid.UUID(change[1])},
            actor_id=facts.actor_id,
            preference="ticket_status",
            staff_only=True,
        )

    async def sla_breached(self, facts: SlaBreachFacts) -> Message:
        ticket = facts.ticket
        ids = {p.id for p in await self.directory.with_role("admin")}
        if ticket.assignee_id is not None:
            ids.add(ticket.assignee_id)
        key = "sla_resolution_breach" if facts.target == "resolution" else "sla_breach"
        return await self._message(
            ticket, key, ids, actor_id=None, preference="sla_breach", staff_only=True
        )

    async def survey_answered(self, facts: SurveyAnswerFacts) -> Message | None:
        """A rating that just turned low reaches whoever worked the ticket: its assignee
        and its group's lead, or the vendor's admins for a ticket without a group (or of
        a group without a lead), so that someone follows it up."""
        if not facts.low_rating:
            return None
        ids = {facts.assignee_id} if facts.assignee_id else set()
        if facts.group_id is not None and facts.group_lead_id is not None:
            ids.add(facts.group_lead_id)
        else:
            ids |= {p.id for p in await self.directory.with_role("admin")}
        return await self._message(
            facts.ticket,
            "survey_low_rating",
            ids,
            actor_id=facts.creator_id,
            preference="survey_low_rating",
            staff_only=True,
            excerpt=facts.comment,
            rating=facts.rating,
        )

    async def file_stored(self, facts: FileFacts) -> Message | None:
        if facts.purpose != "case_file" or not facts.ticket_number:
            return None
        card = await self.directory.card_by_number(facts.ticket_number)
        if card is None:
            return None  # a ticket not even the tickets service knows
        ticket = Ticket.of_card(card)
        return await self._message(
            ticket,
            "case_file",
            await self._participants(ticket) | await self._reviewers(ticket),
            actor_id=facts.uploader_id,
            file=facts.name,
        )


@dataclass(frozen=True)
class Route:
    """What an event's data is read as, and who hears about it."""

    reads: type[EventFacts]
    handler: Callable[[Router, Any], Awaitable[Message | None]]


# A ticket sent back and forth in its organization's review (`changes["review"]`'s new
# value): the message and the profile switch of its mail.
REVIEW_NOTICES = {
    "requester": ("review_requester", "ticket_status"),  # the reviewers ask the requester
    "internal": ("review_answered", "ticket_reply"),  # the requester's answer is back
}

ROUTES: dict[str, Route] = {
    "tickets.ticket.created": Route(TicketCreatedFacts, Router.ticket_created),
    "tickets.ticket.handed_over": Route(TicketFacts, Router.handed_over),
    "tickets.article.added": Route(ArticleFacts, Router.article_added),
    "tickets.ticket.status_changed": Route(StatusChangeFacts, Router.status_changed),
    "tickets.ticket.updated": Route(TicketUpdateFacts, Router.ticket_updated),
    "tickets.sla.breached": Route(SlaBreachFacts, Router.sla_breached),
    "tickets.survey.answered": Route(SurveyAnswerFacts, Router.survey_answered),
    "files.file.stored": Route(FileFacts, Router.file_stored),
}
ROUTED_EVENTS = tuple(ROUTES)
