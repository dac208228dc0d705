"""`portal dlq` against a real RabbitMQ: dead letters listed in place, re-queued to their
one service with fresh retries, purged only when asked."""

from __future__ import annotations

import asyncio
import inspect
import os
import subprocess
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable

import aio_pika
import pytest
from aio_pika.abc import AbstractConnection

from portal_chassis.bus import RetryPolicy
from portal_chassis.bus.rabbitmq import RabbitMQBus
from portal_chassis.envelope import Envelope
from portal_chassis.settings import PortalSettings
from portal_chassis.testing.plugin import delete_namespace
from portal_ops import dlq
from portal_ops.cli import build_parser

pytestmark = pytest.mark.integration

RETRY = RetryPolicy(max_retries=2, base_seconds=0.05)
SERVICE = "tickets"  # a real consuming service: the command knows only those


class Handler:
    """A consumer that fails while `broken`, counting deliveries per event."""

    def __init__(self) -> None:
        self.broken = True
        self.deliveries: Counter[str] = Counter()
        self.handled: list[str] = []

    async def __call__(self, envelope: Envelope) -> None:
        self.deliveries[str(envelope.id)] += 1
        if self.broken:
            raise RuntimeError("handler bug")
        self.handled.append(str(envelope.id))


@pytest.fixture
def portal(amqp_url: str, event_namespace: str) -> PortalSettings:
    return PortalSettings(amqp_url=amqp_url, event_namespace=event_namespace)


@pytest.fixture
async def connection(amqp_url: str) -> AsyncIterator[AbstractConnection]:
    conn = await aio_pika.connect(amqp_url)
    yield conn
    await conn.close()


@pytest.fixture
async def buses(amqp_url: str, event_namespace: str) -> AsyncIterator[Callable[[], RabbitMQBus]]:
    made: list[RabbitMQBus] = []

    def make() -> RabbitMQBus:
        bus = RabbitMQBus(amqp_url, namespace=event_namespace, retry=RETRY)
        made.append(bus)
        return bus

    yield make
    for bus in made:
        await bus.close()
    await delete_namespace(amqp_url, event_namespace, [SERVICE, "notify"], RETRY)


async def _consumer(buses: Callable[[], RabbitMQBus], queue: str, handler: Handler) -> RabbitMQBus:
    bus = buses()
    bus.subscribe(queue, ["test.#"], handler)
    await bus.start()
    await bus.wait_ready()
    return bus


async def _eventually(check: Callable[[], Awaitable[bool] | bool], timeout: float = 10.0) -> None:
    async def poll() -> None:
        while True:
            result = check()
            if await result if inspect.isawaitable(result) else result:
                return
            await asyncio.sleep(0.05)

    await asyncio.wait_for(poll(), timeout)


async def _dead_count(connection: AbstractConnection, namespace: str, want: int) -> None:
    queues = dlq.Queues.of(SERVICE, namespace)

    async def reached() -> bool:
        return await dlq.count(connection, queues) == want

    await _eventually(reached)


async def _portal_dlq(portal: PortalSettings, *argv: str) -> None:
    await dlq.run(build_parser().parse_args(["dlq", *argv]), portal)


def _event(name: str) -> Envelope:
    return Envelope(type="test.thing.created", producer="test", data={"name": name})


async def test_dead_letter_is_listed_then_requeued_to_its_service_with_fresh_retries(
    buses, connection, portal, event_namespace, capsys
) -> None:
    handler, bystander = Handler(), Handler()
    bystander.broken = False
    await _consumer(buses, SERVICE, handler)
    await _consumer(buses, "notify", bystander)  # also bound to the event's topic
    publisher = buses()
    await publisher.start()
    await publisher.wait_ready()
    event = _event("poison")
    event_id = str(event.id)
    await publisher.publish([event])
    await _dead_count(connection, event_namespace, 1)
    assert handler.deliveries[event_id] == RETRY.max_retries + 1

    await _portal_dlq(portal, "list", SERVICE, "--show", "5")
    await _portal_dlq(portal, "list", SERVICE, "--show", "5")  # listing leaves it there
    listed = capsys.readouterr().out
    assert listed.count(f"{SERVICE}: 1 dead letter(s)") == 2
    assert f"{event_id}  test.thing.created" in listed
    assert f"rejected in {event_namespace}.{SERVICE}  after {RETRY.max_retries} retries" in listed
    await _portal_dlq(portal, "list")  # every service that has queues, and only those
    everyone = capsys.readouterr().out.splitlines()
    assert everyone == [
        f"{SERVICE}: 1 dead letter(s) in {event_namespace}.{SERVICE}.dlq",
        f"notify: 0 dead letter(s) in {event_namespace}.notify.dlq",
    ]

    # Still broken: the re-queued event gets every retry again, then dies again.
    await _portal_dlq(portal, "requeue", SERVICE)
    assert f"requeued {event_id}" in capsys.readouterr().out
    await _eventually(lambda: handler.deliveries[event_id] == 2 * (RETRY.max_retries + 1))
    await _dead_count(connection, event_namespace, 1)

    handler.broken = False
    await _portal_dlq(portal, "requeue", SERVICE)
    assert f"{SERVICE}: 1 dead letter(s) moved back" in capsys.readouterr().out
    await _eventually(lambda: handler.handled == [event_id])
    await asyncio.sleep(0.5)  # room for a stray second delivery
    assert handler.handled == [event_id]
    assert await dlq.count(connection, dlq.Queues.of(SERVICE, event_namespace)) == 0
    assert bystander.handled == [event_id], "re-queueing never reaches another service"


async def test_requeue_by_id_moves_only_those_and_keeps_the_others_in_order(
    buses, connection, portal, event_namespace, capsys
) -> None:
    handler = Handler()
    bus = await _consumer(buses, SERVICE, handler)
    events = [_event(f"poison {i}") for i in range(3)]
    await bus.publish(events)
    await _dead_count(connection, event_namespace, 3)
    await bus.close()  # nobody consumes: what is re-queued stays in the service queue

    queues = dlq.Queues.of(SERVICE, event_namespace)
    before = [letter.event_id for letter in await dlq.peek(connection, queues, 10)]
    assert sorted(before) == sorted(str(e.id) for e in events)
    chosen = before[1]
    await _portal_dlq(portal, "requeue", SERVICE, "--id", chosen.upper())

    after = [letter.event_id for letter in await dlq.peek(connection, queues, 10)]
    assert after == [before[0], before[2]]
    async with connection.channel() as channel:
        work = await channel.declare_queue(queues.work, passive=True)
        message = await work.get(no_ack=True)
        assert message.message_id == chosen
        assert "x-death" not in (message.headers or {})
        assert await work.get(fail=False) is None

    with pytest.raises(dlq.DlqError, match="not in"):
        await _portal_dlq(portal, "requeue", SERVICE, "--id", "no-such-event")
    await _portal_dlq(portal, "requeue", SERVICE, "--limit", "1")
    assert [d.event_id for d in await dlq.peek(connection, queues, 10)] == [before[2]]
    assert f"requeued {before[0]}" in capsys.readouterr().out


async def test_purge_refuses_without_yes_and_drops_with_it(
    buses, connection, portal, event_namespace, amqp_url
) -> None:
    bus = await _consumer(buses, SERVICE, Handler())
    await bus.publish([_event("a"), _event("b")])
    await _dead_count(connection, event_namespace, 2)

    env = {
        **os.environ,
        "PORTAL_AMQP_URL": amqp_url,
        "PORTAL_EVENT_NAMESPACE": event_namespace,
    }
    refused = await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "portal_ops.cli", "dlq", "purge", SERVICE],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 1
    assert "drops 2 dead letter(s)" in refused.stderr and "--yes" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert await dlq.count(connection, dlq.Queues.of(SERVICE, event_namespace)) == 2

    await _portal_dlq(portal, "purge", SERVICE, "--yes")
    assert await dlq.count(connection, dlq.Queues.of(SERVICE, event_namespace)) == 0


def test_unknown_service_or_unreachable_broker_is_a_message_not_a_traceback(amqp_url: str) -> None:
    def portal_dlq(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        return subprocess.run(
            [sys.executable, "-m", "portal_ops.cli", "dlq", *argv],
            env={**clean, **env},
            capture_output=True,
            text=True,
            timeout=60,
        )

    unknown = portal_dlq("requeue", "nosuch", PORTAL_AMQP_URL=amqp_url)
    assert unknown.returncode == 1
    assert "unknown service 'nosuch'" in unknown.stderr
    assert "Traceback" not in unknown.stderr

    in_memory = portal_dlq("list")
    assert in_memory.returncode == 1
    assert "PORTAL_AMQP_URL is unset" in in_memory.stderr
    assert "Traceback" not in in_memory.stderr

    nobody = portal_dlq("list", PORTAL_AMQP_URL="amqp://guest:secret@127.0.0.1:1/")
    assert nobody.returncode == 1
    assert "cannot reach the broker at 127.0.0.1:1/" in nobody.stderr
    assert "secret" not in nobody.stderr and "Traceback" not in nobody.stderr
