from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Table, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.notification.models import Notification, NotificationCounter


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, notification: Notification) -> None:
        self.session.add(notification)

    async def next_seq(self, user_id: uuid.UUID) -> int:
        """The user's next number; holds the user's counter row until commit."""
        dialect = self.session.get_bind().dialect.name
        insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
        counter = cast(Table, NotificationCounter.__table__)
        statement = (
            insert(counter)
            .values(user_id=user_id, last_seq=1)
            .on_conflict_do_update(
                index_elements=[counter.c.user_id], set_={"last_seq": counter.c.last_seq + 1}
            )
            .returning(counter.c.last_seq)
        )
        seq: int = (await self.session.execute(statement)).scalar_one()
        return seq

    async def newest(
        self, user_id: uuid.UUID, *, before: int | None, limit: int, unread_only: bool = False
    ) -> list[Notification]:
        query = select(Notification).where(Notification.user_id == user_id)
        if before is not None:
            query = query.where(Notification.user_seq < before)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        rows = await self.session.scalars(query.order_by(Notification.user_seq.desc()).limit(limit))
        return list(rows)

    async def after(self, user_id: uuid.UUID, seq: int, *, limit: int) -> list[Notification]:
        """Oldest first, from just after `seq` (what an event stream has not sent yet)."""
        rows = await self.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id, Notification.user_seq > seq)
            .order_by(Notification.user_seq)
            .limit(limit)
        )
        return list(rows)

    async def last_seq(self, user_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.max(Notification.user_seq)).where(Notification.user_id == user_id)
        )
        return value or 0

    async def unread_count(self, user_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        return value or 0

    async def get(self, user_id: uuid.UUID, notification_id: uuid.UUID) -> Notification | None:
        return await self.session.scalar(
            select(Notification).where(
                Notification.id == notification_id, Notification.user_id == user_id
            )
        )

    async def mark_all_read(self, user_id: uuid.UUID, at: datetime) -> int:
        result = await self.session.execute(
            update(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
            .values(read_at=at)
        )
        return cast("CursorResult[Any]", result).rowcount or 0
