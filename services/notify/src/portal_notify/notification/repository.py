from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.notification.models import Notification


class NotificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, notification: Notification) -> None:
        self.session.add(notification)

    async def exists_for_event(self, event_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(Notification.seq).where(Notification.source_event_id == event_id).limit(1)
        )
        return found is not None

    async def newest(
        self, user_id: uuid.UUID, *, before: int | None, limit: int, unread_only: bool = False
    ) -> list[Notification]:
        query = select(Notification).where(Notification.user_id == user_id)
        if before is not None:
            query = query.where(Notification.seq < before)
        if unread_only:
            query = query.where(Notification.read_at.is_(None))
        rows = await self.session.scalars(query.order_by(Notification.seq.desc()).limit(limit))
        return list(rows)

    async def after(self, user_id: uuid.UUID, seq: int, *, limit: int) -> list[Notification]:
        """Oldest first, from just after `seq` (what an event stream has not sent yet)."""
        rows = await self.session.scalars(
            select(Notification)
            .where(Notification.user_id == user_id, Notification.seq > seq)
            .order_by(Notification.seq)
            .limit(limit)
        )
        return list(rows)

    async def last_seq(self, user_id: uuid.UUID) -> int:
        value = await self.session.scalar(
            select(func.max(Notification.seq)).where(Notification.user_id == user_id)
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
        return result.rowcount or 0
