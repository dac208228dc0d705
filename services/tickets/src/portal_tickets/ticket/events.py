"""Events the tickets service publishes about tickets and their correspondence."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self

from pydantic import BaseModel

from portal_chassis.envelope import Event

if TYPE_CHECKING:
    from portal_tickets.ticket.models import Article, Ticket


EXCERPT_CHARS = 2000


class RefusedFile(BaseModel):
    """A file that came with a mail but was not kept (type, size), named to the sender."""

    filename: str
    reason: str


class TicketFacts(Event):
    """What consumers need to route and word a notification about a ticket."""

    id: uuid.UUID
    number: str
    title: str
    category: str
    priority: str
    status: str
    # What customers see of the status (internal steps share one portal status).
    portal_status: str
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    assignee_id: uuid.UUID | None
    # `internal` or `requester` while in the organization's review (the service desk
    # does not see the ticket then); None with the vendor.
    review: str | None = None
    actor_id: uuid.UUID | None
    occurred_at: datetime

    @classmethod
    def of(cls, ticket: Ticket, *, actor_id: uuid.UUID | None, at: datetime, **extra: Any) -> Self:
        return cls(
            id=ticket.id,
            number=ticket.number,
            title=ticket.title,
            category=ticket.category.value,
            priority=ticket.priority.value,
            status=ticket.status.value,
            portal_status=ticket.portal_status,
            organization_id=ticket.organization_id,
            creator_id=ticket.creator_id,
            contact_id=ticket.contact_id,
            assignee_id=ticket.assignee_id,
            review=ticket.review.value if ticket.review else None,
            actor_id=actor_id,
            occurred_at=at,
            **extra,
        )


class TicketCreated(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.created"

    # Files sent with the ticket. They are kept as its first message, but that message
    # is part of the opening, not a reply: no `tickets.article.added` is published for
    # it, so the opening is one event and one notice per recipient.
    file_ids: list[uuid.UUID] = []
    # How the request reached the service desk: portal, email, phone, on_site.
    channel: str = "portal"
    # The closed ticket this one continues (a reply after the reopening window).
    follow_up_of: str | None = None
    # Attachments of an e-mail that were refused; the confirmation names them.
    refused_files: list[RefusedFile] = []


class TicketHandedOver(TicketFacts):
    """The organization's reviewers handed the ticket to the vendor: for the service desk
    the ticket arrives now."""

    event_type: ClassVar[str] = "tickets.ticket.handed_over"


class TicketUpdated(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.updated"

    changes: dict[str, list[str | None]]  # field -> [before, after]


class TicketStatusChanged(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.status_changed"

    previous_status: str
    previous_portal_status: str


class TicketEscalated(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.escalated"

    article_id: uuid.UUID


class TicketClosed(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.closed"


class TicketCancelled(TicketFacts):
    event_type: ClassVar[str] = "tickets.ticket.cancelled"


class TicketSlaBreached(TicketFacts):
    event_type: ClassVar[str] = "tickets.sla.breached"

    due_at: datetime
    target: Literal["reaction", "resolution"]  # the first reaction, or the resolution


class ArticleAdded(Event):
    event_type: ClassVar[str] = "tickets.article.added"

    id: uuid.UUID
    ticket_id: uuid.UUID
    ticket_number: str
    ticket_title: str
    organization_id: uuid.UUID | None
    kind: str
    # Internal notes are flagged so customer-facing consumers can drop them unread.
    internal: bool
    author_id: uuid.UUID
    author_is_staff: bool
    file_ids: list[uuid.UUID]
    created_at: datetime
    # The start of a public message, for notification mails; never an internal note's.
    excerpt: str = ""
    # The message that came with an escalation (`tickets.ticket.escalated` follows).
    escalation: bool = False
    # How the message arrived (portal, email), and attachments of a mail not kept.
    channel: str = "portal"
    refused_files: list[RefusedFile] = []

    @classmethod
    def of(
        cls,
        ticket: Ticket,
        article: Article,
        *,
        escalation: bool = False,
        refused_files: list[RefusedFile] | None = None,
    ) -> ArticleAdded:
        # Imported here: the permissions read the models, which import these events.
        from portal_tickets.ticket.permissions import visible_articles

        # The text goes out only as far as a reader outside the service desk may see it.
        public = article.kind in visible_articles(None)
        return cls(
            id=article.id,
            ticket_id=ticket.id,
            ticket_number=ticket.number,
            ticket_title=ticket.title,
            organization_id=ticket.organization_id,
            kind=article.kind.value,
            internal=article.internal,
            author_id=article.author_id,
            author_is_staff=article.author_is_staff,
            file_ids=[uuid.UUID(str(f)) for f in article.attachment_ids],
            created_at=article.created_at,
            excerpt=article.body[:EXCERPT_CHARS] if public else "",
            escalation=escalation,
            channel=str(article.channel or "portal"),
            refused_files=refused_files or [],
        )


class FollowChange(Event):
    ticket_id: uuid.UUID
    number: str
    user_id: uuid.UUID


class TicketFollowed(FollowChange):
    event_type: ClassVar[str] = "tickets.ticket.followed"


class TicketUnfollowed(FollowChange):
    event_type: ClassVar[str] = "tickets.ticket.unfollowed"


class MailRejected(Event):
    """A mail to the service desk that became no message: its sender is not a known,
    active user. Notify answers such a sender politely, at most once a day."""

    event_type: ClassVar[str] = "tickets.mail.rejected"

    message_id: str
    address: str
    name: str
    subject: str
    reason: str  # unknown_sender
    received_at: datetime
