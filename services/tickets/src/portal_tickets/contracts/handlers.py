"""Identity's changes of an organization's priority contract reach the contract in
force (an admin changed the flag in the organization's settings)."""

from __future__ import annotations

from portal_chassis.consumers import consumer
from portal_chassis.copier import OrganizationFacts
from portal_chassis.envelope import Envelope
from portal_tickets.contracts import service
from portal_tickets.uow import TicketsUoW


@consumer(
    "identity.organization.updated", name="tickets.contracts.organization", reads=OrganizationFacts
)
async def on_organization_updated(
    event: Envelope, uow: TicketsUoW, facts: OrganizationFacts
) -> None:
    """Runs before the directory's copier, which it compares the event with."""
    await service.follow_organization(
        uow=uow,
        organization_id=facts.id,
        priority_contract=facts.priority_contract,
        told_at=event.occurred_at,
    )


HANDLERS = [on_organization_updated]
