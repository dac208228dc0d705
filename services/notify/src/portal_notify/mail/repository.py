from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.mail.models import MailStatus, OutgoingMail


class MailRepository:
    """Outgoing mails: the queue the send task works through."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, mail: OutgoingMail) -> None:
        self.session.add(mail)

    async def get(self, mail_id: uuid.UUID) -> OutgoingMail | None:
        return await self.session.get(OutgoingMail, mail_id)

    async def newest(self, *, status: MailStatus | None, limit: int) -> list[OutgoingMail]:
        query = select(OutgoingMail)
        if status is not None:
            query = query.where(OutgoingMail.status == status)
        rows = await self.session.scalars(
            query.order_by(OutgoingMail.created_at.desc(), OutgoingMail.id.desc()).limit(limit)
        )
        return list(rows)

    async def claim(self, mail_id: uuid.UUID, now: datetime, *, hold: float) -> bool:
        """Hold a pending mail for `hold` seconds; False when it is not pending or another
        attempt holds it. Takes effect with the commit."""
        claimed = await self.session.execute(
            update(OutgoingMail)
            .where(
                OutgoingMail.id == mail_id,
                OutgoingMail.status == MailStatus.PENDING,
                or_(OutgoingMail.locked_until.is_(None), OutgoingMail.locked_until < now),
            )
            .values(locked_until=now + timedelta(seconds=hold))
        )
        return cast("CursorResult[Any]", claimed).rowcount == 1

    async def due_ids(self, now: datetime, *, limit: int) -> list[uuid.UUID]:
        """Pending mails whose time has come and that nobody holds, the longest waiting first."""
        rows = await self.session.scalars(
            select(OutgoingMail.id)
            .where(
                OutgoingMail.status == MailStatus.PENDING,
                OutgoingMail.next_attempt_at <= now,
                or_(OutgoingMail.locked_until.is_(None), OutgoingMail.locked_until < now),
            )
            .order_by(OutgoingMail.next_attempt_at)
            .limit(limit)
        )
        return list(rows)

    async def unsent_counts(self) -> dict[MailStatus, int]:
        rows = await self.session.execute(
            select(OutgoingMail.status, func.count())
            .where(OutgoingMail.status != MailStatus.SENT)
            .group_by(OutgoingMail.status)
        )
        return {status: count for status, count in rows.all()}
