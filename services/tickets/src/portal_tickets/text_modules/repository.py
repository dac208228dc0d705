from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.text_modules.models import TextModule


class TextModuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, module_id: uuid.UUID) -> TextModule | None:
        return await self.session.get(TextModule, module_id)
