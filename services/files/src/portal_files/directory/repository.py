from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readmodel import upsert_latest
from portal_files.directory.models import KnownOrganization, KnownTicket


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def tickets(
        self, numbers: Collection[str]
    ) -> list[tuple[KnownTicket, KnownOrganization | None]]:
        """The known tickets among `numbers`, each with its organization (None while
        identity has not told of it)."""
        if not numbers:
            return []
        rows = await self.session.execute(
            select(KnownTicket, KnownOrganization)
            .outerjoin(KnownOrganization, KnownOrganization.id == KnownTicket.organization_id)
            .where(KnownTicket.number.in_(set(numbers)))
        )
        return [(ticket, org) for ticket, org in rows]

    async def upsert_ticket(
        self,
        *,
        number: str,
        id: uuid.UUID,
        organization_id: uuid.UUID | None,
        creator_id: uuid.UUID,
        contact_id: uuid.UUID,
        as_of: datetime,
    ) -> None:
        ticket = await self.session.get(KnownTicket, number, with_for_update=True)
        if ticket is None:
            ticket = KnownTicket(number=number, id=id, as_of=as_of)
            self.session.add(ticket)
        elif ticket.as_of > as_of:
            return  # an older event arrived late: keep the newer state
        ticket.organization_id = organization_id
        ticket.creator_id, ticket.contact_id = creator_id, contact_id
        ticket.as_of = as_of

    async def upsert_organization(
        self, *, id: uuid.UUID, org_wide_visibility: bool, as_of: datetime
    ) -> None:
        await upsert_latest(
            self.session,
            KnownOrganization,
            id=id,
            org_wide_visibility=org_wide_visibility,
            as_of=as_of,
        )
