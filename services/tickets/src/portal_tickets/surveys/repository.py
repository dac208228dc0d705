from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.db import any_of
from portal_tickets.surveys.models import Survey, SurveyPreference
from portal_tickets.ticket.models import Ticket

_OF_TICKETS = select(Survey).where(any_of(Survey.ticket_id))


class SurveyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Survey | SurveyPreference) -> None:
        self.session.add(row)

    async def by_digest(self, token_digest: str, *, lock: bool = False) -> Survey | None:
        query = select(Survey).where(Survey.token_digest == token_digest)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def ticket(self, ticket_id: uuid.UUID) -> Ticket | None:
        """The ticket a survey is about (a link names the survey, not the ticket)."""
        return await self.session.get(Ticket, ticket_id)

    async def of_ticket(self, ticket_id: uuid.UUID, *, lock: bool = False) -> Survey | None:
        query = select(Survey).where(Survey.ticket_id == ticket_id)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def of_tickets(self, ticket_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, Survey]:
        """The surveys of any of the tickets (one query for a page of them)."""
        if not ticket_ids:
            return {}
        rows = await self.session.scalars(_OF_TICKETS, {"ids": list(ticket_ids)})
        return {s.ticket_id: s for s in rows}

    async def preference(
        self, user_id: uuid.UUID, *, lock: bool = False
    ) -> SurveyPreference | None:
        return await self.session.get(SurveyPreference, user_id, with_for_update=lock)
