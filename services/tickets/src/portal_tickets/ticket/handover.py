"""Handing a ticket over from its organization's review to the vendor's service desk
(the rule: `review.py`)."""

from __future__ import annotations

from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_tickets.contracts.service import terms_in_force
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.review import REVIEWERS_ONLY, may_review
from portal_tickets.ticket.service import field_error, visible_ticket
from portal_tickets.uow import TicketsUoW


async def hand_over(*, uow: TicketsUoW, number: str, actor: Actor) -> Ticket:
    """The ticket goes to the service desk: it sees the ticket from now on, is told as of
    a new one, and the SLA clock starts under the contract in force now."""
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=True)
        if not may_review(actor, ticket.organization_id):
            raise InvalidInput([field_error("review", REVIEWERS_ONLY, "reviewers_only")])
        at = datetime.now(UTC)
        terms = await terms_in_force(
            uow, ticket.organization_id, at=at, product=ticket.product, asset_id=ticket.asset_id
        )
        ticket.hand_over(actor_id=actor.id, at=at, sla=terms.start_clock(ticket.priority.value, at))
        await uow.commit()
    return ticket
