"""The one automatic answer an address may get a day, claimed on a real database: a
second claim the same day fails, also while the first transaction is still open (it
waits for it), and a claim that was rolled back leaves the day free."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_notify.mail.models import AutoAnswer
from portal_notify.mail.repository import MailRepository

pytestmark = pytest.mark.integration

DAY = date(2026, 12, 12)


async def _claim(sessions: async_sessionmaker[AsyncSession], address: str, day: date) -> bool:
    async with sessions() as session:
        taken = await MailRepository(session).claim_answer(address, day)
        await session.commit()
        return taken


async def test_an_address_gets_one_answer_a_day(sessions) -> None:
    assert await _claim(sessions, "dora@example.org", DAY)
    assert not await _claim(sessions, "dora@example.org", DAY)
    assert await _claim(sessions, "erna@example.org", DAY)
    assert await _claim(sessions, "dora@example.org", DAY + timedelta(days=1))


async def test_a_concurrent_claim_waits_for_the_first_and_then_fails(sessions) -> None:
    async with sessions() as first:
        assert await MailRepository(first).claim_answer("dora@example.org", DAY)
        second = asyncio.create_task(_claim(sessions, "dora@example.org", DAY))
        await asyncio.sleep(0.3)
        assert not second.done()  # held by the open transaction, not answered twice
        await first.commit()
    assert await asyncio.wait_for(second, timeout=10) is False


async def test_a_claim_rolled_back_with_its_mail_leaves_the_day_free(sessions) -> None:
    async with sessions() as session:
        assert await MailRepository(session).claim_answer("dora@example.org", DAY)
        await session.rollback()
    assert await _claim(sessions, "dora@example.org", DAY)


async def test_claims_of_earlier_days_are_dropped(sessions) -> None:
    for days_ago in (5, 1):
        assert await _claim(sessions, f"old{days_ago}@example.org", DAY - timedelta(days_ago))
    assert await _claim(sessions, "dora@example.org", DAY)
    async with sessions() as session:
        days = await session.scalars(select(AutoAnswer.day).order_by(AutoAnswer.day))
        assert list(days) == [DAY - timedelta(1), DAY]
        assert await session.scalar(select(func.count()).select_from(AutoAnswer)) == 2
