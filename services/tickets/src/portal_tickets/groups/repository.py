from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.groups.models import AgentGroup, RoutingRule


class GroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def group(self, group_id: uuid.UUID) -> AgentGroup | None:
        return await self.session.get(AgentGroup, group_id)

    async def rules(self) -> list[RoutingRule]:
        return list(await self.session.scalars(select(RoutingRule).order_by(RoutingRule.position)))
