"""Consumers that declare the facts they read (`reads=`), and the read-model copier built
on them: typed facts in, fields they do not name ignored, a missing fact refused so the
event takes the dead-letter path instead of being half applied."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.bus import InMemoryBus, RetryPolicy
from portal_chassis.consumers import Dispatcher, EventFacts, consumer
from portal_chassis.copier import copier
from portal_chassis.db import UTCDateTime, make_base
from portal_chassis.envelope import Envelope
from portal_chassis.testing.sample import Database
from portal_chassis.uow import UnitOfWork

Copies = make_base()


class KnownThing(Copies):
    """Another service's thing, as its events told."""

    __tablename__ = "known_thing"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class Renamed(EventFacts):
    id: uuid.UUID
    name: str
    note: str | None = None


def _event(data: dict[str, object], *, at: datetime | None = None) -> Envelope:
    event = Envelope(type="things.thing.renamed", producer="things", data=data)
    return event if at is None else event.model_copy(update={"occurred_at": at})


async def test_the_handler_gets_the_facts_typed_and_extra_fields_ignored(
    sqlite_db: Database,
) -> None:
    got: list[Renamed] = []

    @consumer("things.thing.renamed", name="sample.renamed", reads=Renamed)
    async def on_renamed(event: Envelope, uow: UnitOfWork, facts: Renamed) -> None:
        got.append(facts)

    thing = uuid.uuid4()
    dispatch = Dispatcher(service="sample", consumers=[on_renamed], uow=sqlite_db.uow)
    await dispatch(_event({"id": str(thing), "name": "printer", "colour": "grey"}))

    assert got == [Renamed(id=thing, name="printer")]
    assert isinstance(got[0].id, uuid.UUID)
    assert not hasattr(got[0], "colour")


async def test_a_missing_required_fact_raises_before_the_handler_runs(
    sqlite_db: Database,
) -> None:
    ran: list[Envelope] = []

    @consumer("things.thing.renamed", name="sample.renamed", reads=Renamed)
    async def on_renamed(event: Envelope, uow: UnitOfWork, facts: Renamed) -> None:
        ran.append(event)

    dispatch = Dispatcher(service="sample", consumers=[on_renamed], uow=sqlite_db.uow)
    with pytest.raises(ValidationError, match="name"):
        await dispatch(_event({"id": str(uuid.uuid4())}))
    assert ran == []


async def test_an_event_missing_a_fact_is_dead_lettered_by_the_bus(sqlite_db: Database) -> None:
    @consumer("things.thing.renamed", name="sample.renamed", reads=Renamed)
    async def on_renamed(event: Envelope, uow: UnitOfWork, facts: Renamed) -> None:
        raise AssertionError("never called without its facts")

    bus = InMemoryBus(retry=RetryPolicy(max_retries=1, base_seconds=0.01))
    dispatch = Dispatcher(service="sample", consumers=[on_renamed], uow=sqlite_db.uow)
    bus.subscribe("sample", dispatch.patterns, dispatch)
    await bus.start()
    event = _event({"id": str(uuid.uuid4())})
    await bus.publish([event])
    await bus.join()
    await bus.close()
    assert [e.id for e in bus.dead_letters["sample"]] == [event.id]


class ThingFacts(EventFacts):
    id: uuid.UUID
    name: str


async def test_the_copier_keeps_the_newest_state_whatever_the_order(
    sqlite_db: Database,
) -> None:
    async with sqlite_db.engine.begin() as conn:
        await conn.run_sync(Copies.metadata.create_all)
    copy = copier("things.thing.renamed", name="sample.copy", model=KnownThing, reads=ThingFacts)
    dispatch = Dispatcher(service="sample", consumers=[copy], uow=sqlite_db.uow)
    thing, now = uuid.uuid4(), datetime.now(UTC)

    await dispatch(_event({"id": str(thing), "name": "new name"}, at=now))
    await dispatch(_event({"id": str(thing), "name": "old name"}, at=now - timedelta(hours=1)))

    async with sqlite_db.sessions() as session:
        row = await session.get(KnownThing, thing)
    assert row is not None
    assert (row.name, row.as_of) == ("new name", now)


def test_the_copier_refuses_a_table_whose_column_the_facts_do_not_name() -> None:
    class NameOnly(EventFacts):
        name: str

    with pytest.raises(TypeError, match="NameOnly has no field id"):
        copier("things.thing.renamed", name="sample.copy", model=KnownThing, reads=NameOnly)
