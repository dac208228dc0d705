"""Fetch-on-miss into a read model: the owner's answer is kept under the newest-wins rule
events follow; its 404 means unknown; an owner that fails or is slow leaves the miss."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY
from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal_chassis.db import UTCDateTime, make_session_factory
from portal_chassis.readmodel import upsert_latest
from portal_chassis.readthrough import ReadThrough, Source

T0 = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)


class Base(DeclarativeBase):
    pass


class KnownThing(Base):
    __tablename__ = "known_thing"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    owner_id: Mapped[str] = mapped_column(String(36))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


def _fields(answer: dict[str, Any]) -> dict[str, Any]:
    return {
        "number": answer["number"],
        "owner_id": answer["owner_id"],
        "as_of": datetime.fromisoformat(answer["as_of"]),
    }


SOURCE = Source(
    owner="things",
    path="/internal/v1/things/{key}/facts",
    model=KnownThing,
    key="number",
    fields=_fields,
)


@pytest.fixture
async def sessions(tmp_path) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'rm.db'}")
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    yield make_session_factory(engine)
    await engine.dispose()


def _owner(answers: dict[str, dict[str, Any]], asked: list[str]) -> httpx.MockTransport:
    async def handle(request: httpx.Request) -> httpx.Response:
        asked.append(f"{request.url.host}{request.url.path}")
        if request.url.host == "down":
            raise httpx.ConnectError("refused", request=request)
        number = request.url.path.split("/")[4]
        if number == "SLOW":
            await asyncio.Event().wait()  # never answers
        if number not in answers:
            return httpx.Response(404, json={"title": "Not found"})
        return httpx.Response(200, json=answers[number])

    return httpx.MockTransport(handle)


def _read_through(
    sessions: async_sessionmaker[AsyncSession],
    transport: httpx.MockTransport,
    urls: list[str],
    timeout: float = 2.0,
) -> ReadThrough:
    client: Callable[[], httpx.AsyncClient] = lambda: httpx.AsyncClient(transport=transport)  # noqa: E731
    return ReadThrough(
        SOURCE,
        service="sample",
        urls=urls,
        client=client,
        session_factory=sessions,
        timeout=timeout,
    )


def _count(outcome: str) -> float:
    labels = {"service": "sample", "owner": "things", "outcome": outcome}
    return REGISTRY.get_sample_value("portal_read_through_fetches_total", labels) or 0.0


async def test_a_miss_is_asked_of_the_owner_and_kept(sessions) -> None:
    owner = str(uuid.uuid4())
    asked: list[str] = []
    answers = {"T1": {"number": "T1", "owner_id": owner, "as_of": T0.isoformat()}}
    # The first replica is down: the next one answers.
    reader = _read_through(sessions, _owner(answers, asked), ["http://down", "http://up"])
    before = _count("found")

    row = await reader.fetch("T1")

    assert row is not None and (row.number, row.owner_id, row.as_of) == ("T1", owner, T0)
    assert asked == ["down/internal/v1/things/T1/facts", "up/internal/v1/things/T1/facts"]
    async with sessions() as s:
        kept = await s.get(KnownThing, "T1")
    assert kept is not None and kept.owner_id == owner
    assert _count("found") == before + 1


async def test_an_event_older_than_the_fetched_state_changes_nothing(sessions) -> None:
    fetched, stale = str(uuid.uuid4()), str(uuid.uuid4())
    answers = {"T1": {"number": "T1", "owner_id": fetched, "as_of": T0.isoformat()}}
    reader = _read_through(sessions, _owner(answers, []), ["http://up"])
    await reader.fetch("T1")

    async with sessions() as s:
        older = T0 - timedelta(seconds=1)
        assert not await upsert_latest(
            s, KnownThing, key="number", number="T1", owner_id=stale, as_of=older
        )
        # The event of the fetched change itself, or a newer one, still applies.
        assert await upsert_latest(
            s, KnownThing, key="number", number="T1", owner_id=fetched, as_of=T0
        )
        await s.commit()
    async with sessions() as s:
        assert (await s.get(KnownThing, "T1")).owner_id == fetched  # type: ignore[union-attr]


async def test_a_fetch_older_than_the_read_model_keeps_the_newer_row(sessions) -> None:
    newer, older = str(uuid.uuid4()), str(uuid.uuid4())
    async with sessions() as s:
        s.add(KnownThing(number="T1", owner_id=newer, as_of=T0))
        await s.commit()
    late = (T0 - timedelta(minutes=1)).isoformat()
    answers = {"T1": {"number": "T1", "owner_id": older, "as_of": late}}
    row = await _read_through(sessions, _owner(answers, []), ["http://up"]).fetch("T1")
    assert row is not None and row.owner_id == newer


async def test_the_owners_404_is_unknown_and_keeps_nothing(sessions) -> None:
    before = _count("unknown")
    assert await _read_through(sessions, _owner({}, []), ["http://up"]).fetch("T404") is None
    async with sessions() as s:
        assert await s.get(KnownThing, "T404") is None
    assert _count("unknown") == before + 1


async def test_an_owner_that_does_not_answer_in_time_leaves_the_miss(sessions) -> None:
    before = _count("failed")
    reader = _read_through(sessions, _owner({}, []), ["http://up"], timeout=0.05)
    assert await asyncio.wait_for(reader.fetch("SLOW"), timeout=5) is None
    down = _read_through(sessions, _owner({}, []), ["http://down"])
    assert await down.fetch("T1") is None
    assert _count("failed") == before + 2
