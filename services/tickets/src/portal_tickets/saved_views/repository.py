from __future__ import annotations

import uuid

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.saved_views.models import SavedView


class SavedViewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, view: SavedView) -> None:
        self.session.add(view)

    async def of_user(self, user_id: uuid.UUID) -> list[SavedView]:
        rows = await self.session.scalars(
            select(SavedView).where(SavedView.user_id == user_id).order_by(SavedView.name)
        )
        return list(rows)

    async def names(self, user_id: uuid.UUID) -> set[str]:
        return set(
            await self.session.scalars(select(SavedView.name).where(SavedView.user_id == user_id))
        )

    async def delete(self, view_id: uuid.UUID, *, user_id: uuid.UUID) -> bool:
        """Delete the user's view; False when the user has no view of that id."""
        result = await self.session.execute(
            delete(SavedView).where(SavedView.id == view_id, SavedView.user_id == user_id)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]
