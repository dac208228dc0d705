from __future__ import annotations

import uuid

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.directory.models import KnownFile, KnownOrganization, KnownUser


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def organization(self, organization_id: uuid.UUID) -> KnownOrganization | None:
        return await self.session.get(KnownOrganization, organization_id)

    async def user(self, user_id: uuid.UUID) -> KnownUser | None:
        return await self.session.get(KnownUser, user_id)

    async def active_users_by_email(self, address: str) -> list[KnownUser]:
        rows = await self.session.scalars(
            select(KnownUser).where(
                func.lower(KnownUser.email) == address.lower(), KnownUser.active.is_(True)
            )
        )
        return list(rows)

    async def users(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, KnownUser]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(KnownUser).where(KnownUser.id.in_(ids)))
        return {u.id: u for u in rows}

    async def organizations(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, KnownOrganization]:
        if not ids:
            return {}
        rows = await self.session.scalars(
            select(KnownOrganization).where(KnownOrganization.id.in_(ids))
        )
        return {o.id: o for o in rows}

    async def colleagues(
        self, organization_id: uuid.UUID, *, q: str | None, limit: int
    ) -> list[KnownUser]:
        query = (
            select(KnownUser)
            .where(KnownUser.organization_id == organization_id, KnownUser.active.is_(True))
            .order_by(KnownUser.display_name)
            .limit(limit)
        )
        if q:
            pattern = f"%{q.replace('%', '').replace('_', '')}%"
            query = query.where(
                or_(KnownUser.display_name.ilike(pattern), KnownUser.username.ilike(pattern))
            )
        return list(await self.session.scalars(query))

    async def files(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, KnownFile]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(KnownFile).where(KnownFile.id.in_(ids)))
        return {f.id: f for f in rows}
