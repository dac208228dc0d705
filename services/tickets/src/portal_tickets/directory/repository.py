from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import ScalarResult, Select, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from portal_chassis.db import any_of
from portal_tickets.directory.models import KnownFile, KnownOrganization, KnownUser

_Known = TypeVar("_Known", KnownUser, KnownOrganization)
_BY_IDS: dict[type, Select[Any]] = {
    model: select(model).where(any_of(model.id)) for model in (KnownUser, KnownOrganization)
}


class DirectoryRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # The session's identity map holds rows weakly: the caller's organization, read
        # for the visibility check and dropped, would be gone when the page is presented.
        self._held: list[KnownOrganization] = []

    async def organization(self, organization_id: uuid.UUID) -> KnownOrganization | None:
        found = await self.session.get(KnownOrganization, organization_id)
        if found is not None:
            self._held.append(found)
        return found

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
        return await self._by_id(KnownUser, ids)

    async def organizations(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, KnownOrganization]:
        return await self._by_id(KnownOrganization, ids)

    async def _by_id(self, model: type[_Known], ids: set[uuid.UUID]) -> dict[uuid.UUID, _Known]:
        """The rows with these ids; those this unit of work already loaded (the caller's
        own organization, checked for visibility moments ago) cost no statement."""
        found: dict[uuid.UUID, _Known] = {}
        for row_id in ids:
            loaded = self.session.identity_map.get(identity_key(model, row_id))
            if loaded is not None:
                found[row_id] = loaded
        missing = ids - found.keys()
        if missing:
            rows: ScalarResult[_Known] = await self.session.scalars(
                _BY_IDS[model], {"ids": list(missing)}
            )
            found.update((row.id, row) for row in rows)
        return found

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
