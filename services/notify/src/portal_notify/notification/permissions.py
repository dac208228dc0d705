"""Who may hear about a ticket: the tickets service's visibility rule, over the notify
service's own copy of the people and organizations and the ticket's facts."""

from __future__ import annotations

import uuid
from typing import Protocol

from portal_notify.directory.models import Organization, Person


class VisibleTicket(Protocol):
    """What the rule looks at: the ticket's organization and its own customers."""

    @property
    def organization_id(self) -> uuid.UUID | None: ...
    @property
    def creator_id(self) -> uuid.UUID: ...
    @property
    def contact_id(self) -> uuid.UUID: ...


def can_view(person: Person, ticket: VisibleTicket, org: Organization | None) -> bool:
    """Staff; the ticket's creator and contact; other customers of its organization only
    while that organization has organization-wide visibility. Like the tickets service,
    an organization not heard of yet has it (the default), so tickets and notices agree
    and an installation from before this copy existed keeps notifying colleagues."""
    if person.is_staff:
        return True
    if person.id in (ticket.creator_id, ticket.contact_id):
        return True
    return (
        person.organization_id is not None
        and person.organization_id == ticket.organization_id
        and (org is None or org.org_wide_visibility)
    )
