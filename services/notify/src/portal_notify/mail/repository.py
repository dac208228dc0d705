from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_notify.mail.models import MailStatus, OutgoingMail


class MailRepository:
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
