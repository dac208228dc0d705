from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.db import any_of
from portal_tickets.groups.models import AgentGroup, RoutingRule
from portal_tickets.ticket.models import Ticket

_BY_IDS = select(AgentGroup).where(any_of(AgentGroup.id))


class GroupRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: AgentGroup | RoutingRule) -> None:
        self.session.add(row)

    async def delete(self, row: AgentGroup | RoutingRule) -> None:
        await self.session.delete(row)

    async def flush(self) -> None:
        await self.session.flush()

    async def group(self, group_id: uuid.UUID, *, lock: bool = False) -> AgentGroup | None:
        return await self.session.get(AgentGroup, group_id, with_for_update=lock)

    async def groups(self) -> list[AgentGroup]:
        return list(await self.session.scalars(select(AgentGroup).order_by(AgentGroup.name)))

    async def groups_by_ids(self, ids: Collection[uuid.UUID]) -> dict[uuid.UUID, AgentGroup]:
        if not ids:
            return {}
        rows = await self.session.scalars(_BY_IDS, {"ids": list(ids)})
        return {g.id: g for g in rows}

    async def group_named(self, name: str) -> AgentGroup | None:
        """The group of `name` in any case: "Software" and "software" are one name."""
        return await self.session.scalar(
            select(AgentGroup).where(func.lower(AgentGroup.name) == name.lower()).limit(1)
        )

    async def hand_out(self, group_id: uuid.UUID) -> int:
        """Count one more ticket handed out by the group's round robin; the new count.

        One UPDATE ... RETURNING: concurrent openings each get a count of their own
        (PostgreSQL makes the second wait for the first's row lock and re-reads the
        row, SQLite has one writer at a time)."""
        value = await self.session.scalar(
            update(AgentGroup)
            .where(AgentGroup.id == group_id)
            .values(handed_out=AgentGroup.handed_out + 1)
            .returning(AgentGroup.handed_out)
            .execution_options(synchronize_session=False)
        )
        return int(value or 0)

    async def ungroup_tickets(self, group_id: uuid.UUID) -> None:
        """The group's tickets stay, without a group (the group is being deleted)."""
        await self.session.execute(
            update(Ticket)
            .where(Ticket.group_id == group_id)
            .values(group_id=None)
            .execution_options(synchronize_session=False)
        )

    async def rules(self, *, lock: bool = False) -> list[RoutingRule]:
        query = select(RoutingRule).order_by(RoutingRule.position, RoutingRule.created_at)
        if lock:
            query = query.with_for_update()
        return list(await self.session.scalars(query))

    async def rule(self, rule_id: uuid.UUID) -> RoutingRule | None:
        return await self.session.get(RoutingRule, rule_id)
