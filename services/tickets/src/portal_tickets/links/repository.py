from __future__ import annotations

import uuid

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.links.models import TicketLink


class LinkRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of(self, ticket_id: uuid.UUID) -> list[TicketLink]:
        """The links a ticket takes part in, on either side."""
        query = select(TicketLink).where(
            or_(TicketLink.ticket_id == ticket_id, TicketLink.other_id == ticket_id)
        )
        return list(await self.session.scalars(query.order_by(TicketLink.created_at)))
