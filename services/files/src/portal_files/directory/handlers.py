"""Tickets and identity events that keep the directory current: which tickets exist,
whose they are, and which organizations keep tickets to the people on them. Each copies
the facts it reads into its table (portal_chassis.readmodel), newest change first."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import EventFacts
from portal_chassis.copier import OrganizationFacts, copier
from portal_files.directory.models import KnownOrganization, KnownTicket

# Every event that carries the ticket's facts (creator, contact, organization, review),
# so a changed contact or a hand-over reaches the files service with the ticket's next
# event.
TICKET_FACTS = (
    "tickets.ticket.created",
    "tickets.ticket.updated",
    "tickets.ticket.status_changed",
    "tickets.ticket.escalated",
    "tickets.ticket.closed",
    "tickets.ticket.cancelled",
    "tickets.sla.breached",
    # The organization's reviewers handed the ticket to the vendor (`review` is None now).
    "tickets.ticket.handed_over",
)


class TicketFacts(EventFacts):
    """A ticket's own events: whose the ticket is, after the change."""

    number: str
    id: uuid.UUID
    organization_id: uuid.UUID | None = None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    # Set while the ticket is in its organization's internal review; older events: None.
    review: str | None = None


on_ticket = copier(
    *TICKET_FACTS,
    name="files.directory.ticket",
    model=KnownTicket,
    reads=TicketFacts,
    key="number",
)

on_organization = copier(
    "identity.organization.created",
    "identity.organization.updated",
    name="files.directory.organization",
    model=KnownOrganization,
    reads=OrganizationFacts,
)

HANDLERS = [on_ticket, on_organization]
