"""Outbox, relay, inbox and dead letters against real PostgreSQL and RabbitMQ."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from urllib.parse import urlsplit

import aio_pika
import pytest

from portal_chassis.bus import RetryPolicy
from portal_chassis.bus.rabbitmq import RabbitMQBus
from portal_chassis.consumers import Dispatcher, consumer
from portal_chassis.envelope import Envelope
from portal_chassis.outbox import OutboxRelay
from portal_chassis.testing.plugin import delete_namespace
from portal_chassis.testing.sample import Thing, tables
from portal_chassis.testing.tcpproxy import TcpProxy

pytestmark = pytest.mark.integration

RETRY = RetryPolicy(max_retries=2, base_seconds=0.1)


class Received:
    def __init__(self) -> None:
        self.items: list[Envelope] = []
        self.changed = asyncio.Event()

    async def __call__(self, envelope: Envelope) -> None:
        self.items.append(envelope)
        self.changed.set()

    async def wait_for(self, count: int, timeout: float = 10.0) -> None:
        async def _wait() -> None:
            while len(self.items) < count:
                self.changed.clear()
                await self.changed.wait()

        await asyncio.wait_for(_wait(), timeout)


@pytest.fixture
async def buses(amqp_url: str, event_namespace: str) -> AsyncIterator[Callable[..., RabbitMQBus]]:
    made: list[RabbitMQBus] = []
    queues: set[str] = set()

    def make(url: str | None = None, retry: RetryPolicy = RETRY) -> RabbitMQBus:
        bus = RabbitMQBus(url or amqp_url, namespace=event_namespace, retry=retry)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        queues.update(s.queue for s in bus.subscriptions)
        await bus.close()
    await delete_namespace(amqp_url, event_namespace, sorted(queues), RETRY)


async def _add_thing(db, name: str, *, commit: bool = True) -> None:
    async with db.uow() as uow:
        uow.session.add(Thing.create(name))
        if commit:
            await uow.commit()


async def test_rolled_back_event_is_never_published(pg_db, buses) -> None:
    received = Received()
    consumer_bus = buses()
    consumer_bus.subscribe("watcher", ["test.#"], received)
    await consumer_bus.start()
    await consumer_bus.wait_ready()
    publisher = buses()
    await publisher.start()
    await publisher.wait_ready()

    await _add_thing(pg_db, "rolled back", commit=False)
    await _add_thing(pg_db, "committed")
    relay = OutboxRelay(pg_db.sessions, tables, publisher, service="test")
    assert await relay.relay_once() == 1
    await received.wait_for(1)
    await asyncio.sleep(0.3)  # give a stray message the chance to show up
    assert [e.data["name"] for e in received.items] == ["committed"]


async def test_event_committed_while_broker_is_unreachable_arrives_after_it_returns(
    pg_db, buses, amqp_url
) -> None:
    parts = urlsplit(amqp_url)
    proxy = TcpProxy(parts.hostname or "127.0.0.1", parts.port or 5672)
    await proxy.start()
    auth = f"{parts.username}:{parts.password}@" if parts.username else ""
    proxied = parts._replace(netloc=f"{auth}127.0.0.1:{proxy.port}").geturl()

    received = Received()
    consumer_bus = buses()  # straight to the broker
    consumer_bus.subscribe("watcher", ["test.#"], received)
    await consumer_bus.start()
    await consumer_bus.wait_ready()

    publisher = buses(proxied)
    await publisher.start()
    await publisher.wait_ready()
    relay = OutboxRelay(pg_db.sessions, tables, publisher, service="test", poll_seconds=0.2)
    relay.start()
    try:
        await proxy.cut()
        await asyncio.sleep(0.2)
        await _add_thing(pg_db, "written during the outage")  # the user's write succeeds
        relay.wake()
        await asyncio.sleep(1.0)
        assert received.items == []
        await proxy.start()  # the broker is reachable again (same port)
        await received.wait_for(1, timeout=30)
    finally:
        await relay.stop()
        await proxy.cut()
    assert [e.data["name"] for e in received.items] == ["written during the outage"]


async def test_two_relays_publish_every_event_exactly_once(pg_db, buses) -> None:
    received = Received()
    consumer_bus = buses()
    consumer_bus.subscribe("watcher", ["test.#"], received)
    await consumer_bus.start()
    await consumer_bus.wait_ready()
    publisher = buses()
    await publisher.start()
    await publisher.wait_ready()

    count = 300
    for i in range(count):
        await _add_thing(pg_db, f"thing {i}")
    relays = [
        OutboxRelay(pg_db.sessions, tables, publisher, service="test", batch_size=20)
        for _ in range(2)
    ]

    async def drain(relay: OutboxRelay) -> int:
        total = 0
        while n := await relay.relay_once():
            total += n
        return total

    published = await asyncio.gather(*(drain(r) for r in relays))
    assert sum(published) == count
    assert all(n > 0 for n in published), "both relays took part"
    await received.wait_for(count)
    await asyncio.sleep(0.3)
    ids = [e.id for e in received.items]
    assert len(ids) == count == len(set(ids))


async def test_consumer_given_the_same_event_twice_applies_it_once(pg_db, buses) -> None:
    applied: list[str] = []

    @consumer("test.thing.created", name="test.copy")
    async def copy_thing(event: Envelope, uow) -> None:
        async with uow:
            uow.session.add(Thing(id=uuid.uuid4(), name=f"copy of {event.data['name']}"))
            await uow.commit()
        applied.append(event.data["name"])

    dispatcher = Dispatcher(service="test", consumers=[copy_thing], uow=pg_db.uow)
    bus = buses()
    done = Received()

    async def handle(envelope: Envelope) -> None:
        await dispatcher(envelope)
        await done(envelope)

    bus.subscribe("copier", dispatcher.patterns, handle)
    await bus.start()
    await bus.wait_ready()
    envelope = Envelope(type="test.thing.created", producer="test", data={"name": "printer"})
    await bus.publish([envelope])
    await bus.publish([envelope])  # a redelivery, e.g. after a relay crash
    await done.wait_for(2)
    assert applied == ["printer"]


async def test_message_that_always_fails_ends_in_the_dead_letter_queue(
    buses, amqp_url, event_namespace
) -> None:
    attempts = 0
    failed_all = asyncio.Event()

    async def always_fails(_envelope: Envelope) -> None:
        nonlocal attempts
        attempts += 1
        if attempts == RETRY.max_retries + 1:
            failed_all.set()
        raise RuntimeError("cannot handle this")

    bus = buses()
    bus.subscribe("fragile", ["test.#"], always_fails)
    await bus.start()
    await bus.wait_ready()
    envelope = Envelope(type="test.thing.created", producer="test", data={"name": "poison"})
    await bus.publish([envelope])
    await asyncio.wait_for(failed_all.wait(), 10)

    connection = await aio_pika.connect(amqp_url)
    try:
        channel = await connection.channel()
        dlq = await channel.declare_queue(f"{event_namespace}.fragile.dlq", passive=True)
        message = None
        for _ in range(50):
            message = await dlq.get(fail=False)
            if message is not None:
                break
            await asyncio.sleep(0.1)
        assert message is not None, "the message reached the dead-letter queue"
        await message.ack()
    finally:
        await connection.close()
    assert Envelope.from_json(message.body).id == envelope.id
    assert attempts == RETRY.max_retries + 1


async def test_queue_declared_at_deploy_time_keeps_events_until_the_consumer_starts(
    buses,
) -> None:
    async def never(_envelope: Envelope) -> None:
        raise AssertionError("declare() must not consume")

    deploy = buses()
    deploy.subscribe("late", ["test.#"], never)
    await deploy.declare()

    publisher = buses()
    await publisher.start()
    await publisher.wait_ready()
    envelope = Envelope(type="test.thing.created", producer="test", data={"name": "early"})
    await publisher.publish([envelope])

    received = Received()
    consumer_bus = buses()
    consumer_bus.subscribe("late", ["test.#"], received)
    await consumer_bus.start()
    await received.wait_for(1)
    assert received.items[0].id == envelope.id


async def test_join_waits_for_a_delivery_the_client_has_not_started_on(buses) -> None:
    """A message the broker has handed over but the client has not begun to handle shows
    in no queue depth and no in-flight count: join() must still wait for it."""
    received = Received()
    bus = buses()
    bus.subscribe("watcher", ["test.#"], received)
    deliver = bus._deliver

    async def slow_to_start(*args: object) -> None:
        await asyncio.sleep(0.3)  # as a busy machine's event loop would be
        await deliver(*args)  # type: ignore[arg-type]

    bus._deliver = slow_to_start  # type: ignore[method-assign]
    await bus.start()
    await bus.wait_ready()

    await bus.publish(
        [Envelope(type="test.thing.created", producer="test", data={"n": i}) for i in range(5)]
    )
    await bus.join()

    assert sorted(e.data["n"] for e in received.items) == [0, 1, 2, 3, 4]
