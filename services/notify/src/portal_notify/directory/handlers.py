"""Identity and tickets events that keep the directory current: the people and the
organizations' visibility setting (plain copies, portal_chassis.readmodel), the
tickets' people and their followers."""

from __future__ import annotations

from portal_chassis.consumers import consumer
from portal_chassis.copier import OrganizationFacts, UserFacts, copier
from portal_chassis.envelope import Envelope
from portal_notify.directory.facts import FollowFacts, TicketCardFacts
from portal_notify.directory.models import Organization, Person, TicketCard
from portal_notify.uow import NotifyUoW

TICKET_FACTS = (
    "tickets.ticket.created",
    "tickets.ticket.updated",
    "tickets.ticket.status_changed",
    "tickets.ticket.escalated",
    "tickets.ticket.closed",
    "tickets.ticket.cancelled",
    "tickets.sla.breached",
    "tickets.ticket.handed_over",  # out of the organization's review: `review` is None
)


on_user = copier(
    "identity.user.created",
    "identity.user.updated",
    "identity.user.deactivated",
    name="notify.directory.user",
    model=Person,
    reads=UserFacts,
    rename={"preferences": "notification_preferences"},
)

on_organization = copier(
    "identity.organization.created",
    "identity.organization.updated",
    name="notify.directory.organization",
    model=Organization,
    reads=OrganizationFacts,
)


@consumer(*TICKET_FACTS, name="notify.directory.ticket", reads=TicketCardFacts)
async def on_ticket(event: Envelope, uow: NotifyUoW, facts: TicketCardFacts) -> None:
    async with uow:
        await uow.directory.upsert(
            TicketCard,
            id=facts.id,
            number=facts.number,
            title=facts.title,
            organization_id=facts.organization_id,
            creator_id=facts.creator_id,
            contact_id=facts.contact_id,
            assignee_id=facts.assignee_id,
            status=facts.status,
            portal_status=facts.portal_status,
            review=facts.review,
            as_of=facts.occurred_at,
        )
        await uow.commit()


@consumer(
    "tickets.ticket.followed",
    "tickets.ticket.unfollowed",
    name="notify.directory.follow",
    reads=FollowFacts,
)
async def on_follow(event: Envelope, uow: NotifyUoW, facts: FollowFacts) -> None:
    async with uow:
        if await uow.directory.card(facts.ticket_id, facts.number) is None:
            # Not even the tickets service knows it (yet): retry.
            raise LookupError(f"ticket {facts.number} not known yet")
        if event.type == "tickets.ticket.followed":
            await uow.directory.follow(facts.ticket_id, facts.user_id)
        else:
            await uow.directory.unfollow(facts.ticket_id, facts.user_id)
        await uow.commit()


HANDLERS = [on_user, on_organization, on_ticket, on_follow]
