"""The outgoing mail queue (claims, what is due, counts) and the daily claims of
automatic answers."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.mail.models import AutoAnswer, MailStatus, OutgoingMail


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

    async def claim_answer(self, address: str, day: date) -> bool:
        """Take the one automatic answer `address` may get on `day`; False when it was
        taken already (by this or a concurrent transaction: the insert waits for that
        one's end). Takes effect with the commit, together with the answer's mail."""
        postgres = self.session.get_bind().dialect.name == "postgresql"
        insert = pg_insert(AutoAnswer) if postgres else sqlite_insert(AutoAnswer)
        taken = await self.session.execute(
            insert.values(address=address, day=day).on_conflict_do_nothing()
        )
        # Earlier days decide nothing any more: the table holds about one day's senders.
        await self.session.execute(delete(AutoAnswer).where(AutoAnswer.day < day - timedelta(1)))
        return cast("CursorResult[Any]", taken).rowcount == 1
