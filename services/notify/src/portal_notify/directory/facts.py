"""The facts the directory keeps from tickets events (docs/asyncapi.yaml has the whole
events): each model names only the fields kept. People and organizations are read as
identity's events are by every service (portal_chassis.readmodel)."""

from __future__ import annotations

import uuid
from datetime import datetime

from portal_chassis.consumers import EventFacts


class TicketCardFacts(EventFacts):
    """A ticket's own events: the ticket as it stands after the change."""

    id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None = None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    assignee_id: uuid.UUID | None = None
    status: str
    portal_status: str
    review: str | None = None  # set while in the organization's internal review
    occurred_at: datetime


class FollowFacts(EventFacts):
    """`tickets.ticket.followed`, `.unfollowed`."""

    ticket_id: uuid.UUID
    number: str
    user_id: uuid.UUID
