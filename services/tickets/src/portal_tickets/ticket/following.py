"""Who follows a ticket: a reader follows or stops following a ticket they see; the
service desk sees the followers and adds or removes people who may see the ticket."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_chassis.errors import InvalidInput
from portal_tickets.directory.models import KnownUser
from portal_tickets.ticket.permissions import can_view, reader
from portal_tickets.ticket.service import field_error, visible_ticket
from portal_tickets.uow import TicketsUoW


async def is_following(*, uow: TicketsUoW, number: str, actor: Actor) -> bool:
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=False)
        return await uow.tickets.follower(ticket.id, actor.id) is not None


async def set_following(*, uow: TicketsUoW, number: str, actor: Actor, follow: bool) -> bool:
    """Follow or stop following a ticket the actor can see (idempotent either way)."""
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=False)
        current = await uow.tickets.follower(ticket.id, actor.id)
        if follow and current is None:
            uow.tickets.add_follower(ticket.follow(actor.id, at=datetime.now(UTC)))
        elif not follow and current is not None:
            ticket.unfollow(actor.id)
            await uow.tickets.remove_follower(current)
        await uow.commit()
    return follow


async def followers(*, uow: TicketsUoW, number: str, actor: Actor) -> list[KnownUser]:
    """Who follows a ticket (the service desk asks), as the directory knows them."""
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=False)
        ids = [f.user_id for f in await uow.tickets.followers(ticket.id)]
        known = await uow.directory.users(set(ids))
    return [known[i] for i in ids if i in known]


async def set_follower(
    *, uow: TicketsUoW, number: str, actor: Actor, user_id: uuid.UUID, follow: bool
) -> None:
    """The service desk adds someone who may see the ticket as a follower, or removes a
    follower (idempotent either way)."""
    async with uow:
        ticket = await visible_ticket(uow, number, actor, lock=False)
        current = await uow.tickets.follower(ticket.id, user_id)
        if follow and current is None:
            user = await uow.directory.user(user_id)
            org = (
                await uow.directory.organization(ticket.organization_id)
                if ticket.organization_id
                else None
            )
            if user is None or not user.active or not can_view(reader(user), ticket, org):
                message = "Nobody by that id may follow this ticket."
                raise InvalidInput([field_error("user_id", message, "unknown_user")])
            uow.tickets.add_follower(ticket.follow(user_id, at=datetime.now(UTC)))
        elif not follow and current is not None:
            ticket.unfollow(user_id)
            await uow.tickets.remove_follower(current)
        await uow.commit()
