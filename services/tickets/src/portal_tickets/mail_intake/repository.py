from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.mail_intake.models import InboundMail

# The outcome of a mail being taken in (the others name what became of it).
RECEIVED = "received"


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

    async def take_over(
        self, message_id: str, *, now: datetime, until: datetime, finished_too: bool
    ) -> bool:
        """Claim a mail recorded before, in one statement (so of two workers one wins):
        one still being taken in whose claim was given back or has run out, and with
        `finished_too` one taken in before as well. Whether this worker has it now."""
        free = or_(InboundMail.claimed_until.is_(None), InboundMail.claimed_until < now)
        condition = free if finished_too else free & (InboundMail.outcome == RECEIVED)
        result = await self.session.execute(
            update(InboundMail)
            .where(InboundMail.message_id == message_id, condition)
            .values(outcome=RECEIVED, claimed_until=until)
        )
        return int(getattr(result, "rowcount", 0) or 0) == 1

    async def give_back(self, message_id: str, *, forget: bool) -> None:
        """End this worker's claim after a passing fault: the next attempt takes it over
        (or, with `forget`, meets the mail for the first time)."""
        mine = (InboundMail.message_id == message_id) & (InboundMail.outcome == RECEIVED)
        if forget:
            await self.session.execute(delete(InboundMail).where(mine))
        else:
            await self.session.execute(update(InboundMail).where(mine).values(claimed_until=None))

    async def forget_raw(self, before: datetime) -> int:
        """Drop the raw mails received before `before`; the records stay (they keep a
        Message-ID from being taken in twice)."""
        result = await self.session.execute(
            update(InboundMail)
            .where(InboundMail.received_at < before, InboundMail.raw.is_not(None))
            .values(raw=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)
