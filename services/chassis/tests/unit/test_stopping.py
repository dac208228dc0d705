"""Stopping is bounded: a lost cancellation or a task stuck in a silent backend cannot
keep a process (or a test's teardown) from ending."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from sqlalchemy import MetaData

from portal_chassis.bus.memory import InMemoryBus
from portal_chassis.messaging import add_messaging_tables
from portal_chassis.outbox import OutboxRelay
from portal_chassis.stopping import cancel_and_wait, wait_event, within


async def test_a_task_that_loses_one_cancellation_is_cancelled_again() -> None:
    swallowed = 0

    async def loop_that_swallows_once() -> None:
        nonlocal swallowed
        while True:
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                if swallowed:
                    raise
                swallowed += 1  # what Python 3.11's wait_for does in a race

    task = asyncio.create_task(loop_that_swallows_once())
    await asyncio.sleep(0)
    assert await cancel_and_wait([task], what="test", timeout=5)
    assert task.cancelled() and swallowed == 1


async def test_a_task_that_ignores_cancellation_is_left_behind_after_the_deadline() -> None:
    release = asyncio.Event()

    async def stubborn() -> None:
        while not release.is_set():
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                continue

    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0)
    started = time.monotonic()
    assert not await cancel_and_wait([task], what="test", timeout=0.5)
    assert time.monotonic() - started < 5
    release.set()
    task.cancel()
    await asyncio.wait([task], timeout=5)


async def test_a_hanging_or_failing_step_does_not_stop_the_shutdown() -> None:
    never = asyncio.Event()
    assert not await within(never.wait(), what="hangs", timeout=0.2)

    async def fails() -> None:
        raise RuntimeError("backend gone")

    assert not await within(fails(), what="fails")
    assert await within(asyncio.sleep(0), what="fine")


async def test_wait_event_passes_a_cancellation_of_the_caller_on() -> None:
    event = asyncio.Event()
    task = asyncio.create_task(wait_event(event, 10))
    await asyncio.sleep(0)
    task.cancel()
    await asyncio.wait([task], timeout=5)
    assert task.cancelled()
    assert not await wait_event(event, 0.01)
    event.set()
    assert await wait_event(event, 1)


class _SwallowingRelay(OutboxRelay):
    """A relay whose database call eats the cancellation, as a driver stuck on a dropped
    connection (or a lost cancellation in wait_for) does."""

    calls = 0

    async def relay_once(self) -> int:
        self.calls += 1
        try:
            await asyncio.sleep(0.05)
        except asyncio.CancelledError:
            return 0
        return 0

    async def update_backlog(self) -> None:
        return None


async def test_the_outbox_relay_stops_even_when_its_database_call_eats_the_cancellation() -> None:
    def no_sessions() -> Any:
        raise AssertionError("not used")

    relay = _SwallowingRelay(
        no_sessions,  # type: ignore[arg-type]
        add_messaging_tables(MetaData()),
        InMemoryBus(),
        service="test",
        poll_seconds=0.01,
    )
    relay.start()
    while relay.calls < 3:
        await asyncio.sleep(0.01)
    started = time.monotonic()
    async with asyncio.timeout(10):
        await relay.stop()
    assert time.monotonic() - started < 5
