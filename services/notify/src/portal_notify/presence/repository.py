from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import cast

from sqlalchemy import Table, delete, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.presence.models import Presence


class PresenceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, number: str, user_id: uuid.UUID) -> Presence | None:
        return await self.session.get(Presence, (number, user_id))

    async def upsert(
        self,
        number: str,
        user_id: uuid.UUID,
        *,
        name: str,
        typing: bool,
        since: datetime,
        now: datetime,
    ) -> None:
        """Insert or refresh the row in one statement: two tabs of one person arriving
        at once must not fail on the primary key."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        table = cast(Table, Presence.__table__)
        statement = (
            insert(table)
            .values(
                ticket_number=number,
                user_id=user_id,
                name=name,
                typing=typing,
                since=since,
                seen_at=now,
            )
            .on_conflict_do_update(
                index_elements=[table.c.ticket_number, table.c.user_id],
                set_={"name": name, "typing": typing, "since": since, "seen_at": now},
            )
        )
        await self.session.execute(statement)
        # The identity map may hold the row as it was before the statement.
        self.session.expire_all()

    async def remove(self, number: str, user_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(Presence).where(Presence.ticket_number == number, Presence.user_id == user_id)
        )

    async def forget_stale(self, number: str, user_id: uuid.UUID, before: datetime) -> None:
        """Drop the rows that count as gone, of this ticket and of this person: what is
        in use stays small without a cleaning job (queries filter by time anyway)."""
        await self.session.execute(
            delete(Presence).where(
                Presence.seen_at < before,
                or_(Presence.ticket_number == number, Presence.user_id == user_id),
            )
        )

    async def others(self, number: str, user_id: uuid.UUID, *, since: datetime) -> list[Presence]:
        """Who else has the ticket open, longest there first."""
        rows = await self.session.scalars(
            select(Presence)
            .where(
                Presence.ticket_number == number,
                Presence.user_id != user_id,
                Presence.seen_at >= since,
            )
            .order_by(Presence.since, Presence.name)
        )
        return list(rows)

    async def around(self, user_id: uuid.UUID, *, since: datetime) -> dict[str, list[Presence]]:
        """For each ticket `user_id` has open, who else has it open (maybe nobody)."""
        mine = await self.session.scalars(
            select(Presence.ticket_number).where(
                Presence.user_id == user_id, Presence.seen_at >= since
            )
        )
        found: dict[str, list[Presence]] = {number: [] for number in mine}
        if not found:
            return found
        rows = await self.session.scalars(
            select(Presence)
            .where(
                Presence.ticket_number.in_(found),
                Presence.user_id != user_id,
                Presence.seen_at >= since,
            )
            .order_by(Presence.since, Presence.name)
        )
        grouped: dict[str, list[Presence]] = defaultdict(list)
        for row in rows:
            grouped[row.ticket_number].append(row)
        return {number: grouped.get(number, []) for number in found}
