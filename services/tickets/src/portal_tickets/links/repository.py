from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.db import any_of
from portal_tickets.links.models import LinkKind, TicketLink
from portal_tickets.ticket.models import Follower, Ticket

_OF_MANY = (
    select(TicketLink)
    .where(or_(any_of(TicketLink.ticket_id), any_of(TicketLink.other_id)))
    .order_by(TicketLink.created_at)
)


class LinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, link: TicketLink) -> None:
        self.session.add(link)

    async def delete(self, link: TicketLink) -> None:
        await self.session.execute(delete(TicketLink).where(TicketLink.id == link.id))

    async def of(self, ticket_id: uuid.UUID) -> list[TicketLink]:
        """The links a ticket takes part in, on either side."""
        return await self.of_many([ticket_id])

    async def of_many(self, ticket_ids: Collection[uuid.UUID]) -> list[TicketLink]:
        """The links any of the tickets takes part in, on either side (one query a page)."""
        if not ticket_ids:
            return []
        return list(await self.session.scalars(_OF_MANY, {"ids": list(ticket_ids)}))

    async def between(self, one: uuid.UUID, other: uuid.UUID) -> TicketLink | None:
        """The link of the pair, whichever side it was made from (a merge first, should
        two people have linked the pair from both sides at once)."""
        return await self.session.scalar(
            select(TicketLink)
            .where(
                or_(
                    and_(TicketLink.ticket_id == one, TicketLink.other_id == other),
                    and_(TicketLink.ticket_id == other, TicketLink.other_id == one),
                )
            )
            .order_by(TicketLink.kind == LinkKind.RELATED, TicketLink.created_at)
            .limit(1)
        )

    async def tickets(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Ticket]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Ticket).where(Ticket.id.in_(ids)))
        return {t.id: t for t in rows}

    async def tickets_by_number(self, numbers: Collection[str]) -> dict[str, Ticket]:
        if not numbers:
            return {}
        rows = await self.session.scalars(select(Ticket).where(Ticket.number.in_(numbers)))
        return {t.number: t for t in rows}

    async def followers(self, ticket_id: uuid.UUID) -> list[Follower]:
        rows = await self.session.scalars(
            select(Follower).where(Follower.ticket_id == ticket_id).order_by(Follower.created_at)
        )
        return list(rows)
