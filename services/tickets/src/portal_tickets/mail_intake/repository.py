from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.mail_intake.models import InboundMail


class InboundMailRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_message_id(self, message_id: str) -> InboundMail | None:
        return await self.session.scalar(
            select(InboundMail).where(InboundMail.message_id == message_id)
        )

    async def by_id_or_message_id(self, key: str) -> InboundMail | None:
        try:
            return await self.session.get(InboundMail, uuid.UUID(key))
        except ValueError:
            return await self.by_message_id(key.strip("<>"))

    def add(self, mail: InboundMail) -> None:
        self.session.add(mail)

    async def forget_raw(self, before: datetime) -> int:
        """Drop the raw mails received before `before`; the records stay (they keep a
        Message-ID from being taken in twice)."""
        result = await self.session.execute(
            update(InboundMail)
            .where(InboundMail.received_at < before, InboundMail.raw.is_not(None))
            .values(raw=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)
