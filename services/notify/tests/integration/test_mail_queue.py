"""The outgoing mail queue on a real database: a claim holds a mail against a second
sender, and the safety net finds what is due and unheld."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_notify.mail.models import MailStatus
from portal_notify.mail.render import RenderedMail
from portal_notify.mail.repository import MailRepository
from portal_notify.mail.service import new_mail

pytestmark = pytest.mark.integration


async def _queue(sessions: async_sessionmaker[AsyncSession]) -> uuid.UUID:
    mail = new_mail(
        dedupe_key=str(uuid.uuid4()),
        kind="ticket_reply",
        language="en",
        recipient_id=uuid.uuid4(),
        to_address="someone@example.com",
        rendered=RenderedMail(subject="[T000001] A reply", text="text", html="<p>html</p>"),
    )
    async with sessions() as session:
        MailRepository(session).add(mail)
        await session.commit()
    return mail.id


async def test_a_claimed_mail_is_held_from_a_second_sender_until_the_hold_ends(
    sessions,
) -> None:
    mail_id = await _queue(sessions)
    now = datetime.now(UTC)
    async with sessions() as session:
        mails = MailRepository(session)
        assert await mails.due_ids(now, limit=10) == [mail_id]
        assert await mails.claim(mail_id, now, hold=60)
        await session.commit()
        assert not await mails.claim(mail_id, now, hold=60)
        assert await mails.due_ids(now, limit=10) == []
        later = now + timedelta(seconds=61)
        assert await mails.due_ids(later, limit=10) == [mail_id]
        assert await mails.claim(mail_id, later, hold=60)


async def test_the_queue_counts_what_is_not_sent_yet(sessions) -> None:
    pending, dead = await _queue(sessions), await _queue(sessions)
    async with sessions() as session:
        mails = MailRepository(session)
        found = await mails.get(dead)
        assert found is not None
        found.status = MailStatus.DEAD
        await session.commit()
        assert await mails.unsent_counts() == {MailStatus.PENDING: 1, MailStatus.DEAD: 1}
        assert not await mails.claim(dead, datetime.now(UTC), hold=60)  # only pending mail
        assert await mails.due_ids(datetime.now(UTC), limit=10) == [pending]
