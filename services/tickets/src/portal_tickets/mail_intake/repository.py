from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.mail_intake.models import InboundMail


class InboundMailRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_message_id(self, message_id: str) -> InboundMail | None:
        return await self.session.scalar(
            select(InboundMail).where(InboundMail.message_id == message_id)
        )

    def add(self, mail: InboundMail) -> None:
        self.session.add(mail)
