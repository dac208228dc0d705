from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readmodel import upsert_latest
from portal_notify.directory.models import Organization, Person, TicketCard, TicketFollower


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(
        self, model: type[Person] | type[TicketCard] | type[Organization], **fields: Any
    ) -> bool:
        return await upsert_latest(self.session, model, **fields)

    async def organization(self, organization_id: uuid.UUID | None) -> Organization | None:
        if organization_id is None:
            return None
        return await self.session.get(Organization, organization_id)

    async def people(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Person).where(Person.id.in_(ids)))
        return {p.id: p for p in rows}

    async def with_role(self, role: str) -> list[Person]:
        # Roles are a short JSON list; staff are few, so filtering here is cheap and portable.
        rows = await self.session.scalars(select(Person).where(Person.active.is_(True)))
        return [p for p in rows if role in p.roles]

    async def card(self, ticket_id: uuid.UUID) -> TicketCard | None:
        return await self.session.get(TicketCard, ticket_id)

    async def card_by_number(self, number: str) -> TicketCard | None:
        return await self.session.scalar(select(TicketCard).where(TicketCard.number == number))

    async def followers(self, ticket_id: uuid.UUID) -> set[uuid.UUID]:
        rows = await self.session.scalars(
            select(TicketFollower.user_id).where(TicketFollower.ticket_id == ticket_id)
        )
        return set(rows)

    async def follow(self, ticket_id: uuid.UUID, user_id: uuid.UUID) -> None:
        if await self.session.get(TicketFollower, (ticket_id, user_id)) is None:
            self.session.add(TicketFollower(ticket_id=ticket_id, user_id=user_id))

    async def unfollow(self, ticket_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(TicketFollower).where(
                TicketFollower.ticket_id == ticket_id, TicketFollower.user_id == user_id
            )
        )
