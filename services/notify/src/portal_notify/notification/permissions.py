"""Who may hear about a ticket: the tickets service's visibility rule, over the notify
service's own copy of the people, the ticket and its organization."""

from __future__ import annotations

from portal_notify.directory.models import Organization, Person, TicketCard


def can_view(person: Person, card: TicketCard, org: Organization | None) -> bool:
    """Staff; the ticket's creator and contact; other customers of its organization only
    while that organization has organization-wide visibility. Like the tickets service,
    an organization not heard of yet has it (the default), so tickets and notices agree
    and an installation from before this copy existed keeps notifying colleagues."""
    if person.is_staff:
        return True
    if person.id in (card.creator_id, card.contact_id):
        return True
    return (
        person.organization_id is not None
        and person.organization_id == card.organization_id
        and (org is None or org.org_wide_visibility)
    )
