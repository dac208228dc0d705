"""The unit of work writes events to the outbox in the state change's transaction."""

from sqlalchemy import func, select

from portal_chassis.bus import InMemoryBus
from portal_chassis.outbox import OutboxRelay
from portal_chassis.testing.sample import Thing, tables


async def _outbox_count(db) -> int:
    async with db.sessions() as s:
        return await s.scalar(select(func.count()).select_from(tables.outbox))


async def test_commit_writes_state_and_event_together(sqlite_db) -> None:
    woken = []
    async with sqlite_db.uow(on_commit=lambda: woken.append(True)) as uow:
        uow.session.add(Thing.create("printer"))
        await uow.commit()
    assert await _outbox_count(sqlite_db) == 1
    assert woken == [True]


async def test_unit_left_without_commit_writes_neither_state_nor_event(sqlite_db) -> None:
    async with sqlite_db.uow() as uow:
        uow.session.add(Thing.create("printer"))
    async with sqlite_db.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(Thing)) == 0
    assert await _outbox_count(sqlite_db) == 0


async def test_failed_use_case_rolls_back_its_events(sqlite_db) -> None:
    try:
        async with sqlite_db.uow() as uow:
            uow.session.add(Thing.create("printer"))
            raise RuntimeError("rule broken")
    except RuntimeError:
        pass
    assert await _outbox_count(sqlite_db) == 0


async def test_relay_publishes_in_commit_order_and_marks_rows(sqlite_db) -> None:
    bus = InMemoryBus()
    seen: list[str] = []

    async def handler(envelope) -> None:
        seen.append(envelope.data["name"])

    bus.subscribe("q", ["test.#"], handler)
    await bus.start()
    for name in ("a", "b", "c"):
        async with sqlite_db.uow() as uow:
            uow.session.add(Thing.create(name))
            await uow.commit()
    relay = OutboxRelay(sqlite_db.sessions, tables, bus, service="test")
    assert await relay.relay_once() == 3
    assert await relay.relay_once() == 0  # marked: never published twice
    await bus.join()
    await bus.close()
    assert seen == ["a", "b", "c"]


async def test_events_survive_a_flush_that_lets_the_aggregate_go(sqlite_db) -> None:
    """Aggregates added in a loop, each flushed by the next query and no longer held by
    anyone (the session's identity map holds them weakly): every event still counts."""
    import gc

    async with sqlite_db.uow() as uow:
        for name in ("a", "b", "c"):
            await uow.session.scalar(select(func.count()).select_from(Thing))  # autoflush
            uow.session.add(Thing.create(name))
        await uow.session.flush()
        gc.collect()
        await uow.commit()
    assert await _outbox_count(sqlite_db) == 3
