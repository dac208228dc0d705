"""Who may hear about a ticket: the portal's one ticket visibility rule
(`portal_chassis.visibility`), over the notify service's own copy of the people and
organizations and the ticket's facts. Like the tickets service, an organization not
heard of yet has organization-wide visibility, so tickets and notices agree."""

from __future__ import annotations

from portal_chassis.visibility import TicketParties, can_see_ticket
from portal_notify.directory.models import Organization, Person


def can_view(person: Person, ticket: TicketParties, org: Organization | None) -> bool:
    return can_see_ticket(person, ticket, org)
