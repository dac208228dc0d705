"""Outbox relay throughput and end-to-end event latency on PostgreSQL and RabbitMQ.

* relay throughput: N events committed to the outbox, then one relay drains them;
  events/s from start of draining to the last broker confirm (batches of 200).
* end-to-end latency: a producer commits one write per event at a steady rate with
  its relay running; a consumer in another process records commit -> handled time.

Prints one JSON summary. Needs PostgreSQL and RabbitMQ (PORTAL_TEST_POSTGRES_URL,
PORTAL_TEST_AMQP_URL; defaults are the local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import uuid

from portal_chassis.bus import RetryPolicy
from portal_chassis.bus.rabbitmq import RabbitMQBus
from portal_chassis.envelope import Envelope
from portal_chassis.outbox import OutboxRelay
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace
from portal_chassis.testing.sample import Thing, open_database, tables

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def relay_throughput(db, namespace: str, events: int) -> dict:
    for start in range(0, events, 500):
        async with db.uow() as uow:
            for i in range(start, min(start + 500, events)):
                uow.session.add(Thing.create(f"thing {i}"))
            await uow.commit()
    bus = RabbitMQBus(AMQP, namespace=namespace)
    await bus.start()
    await bus.wait_ready()
    relay = OutboxRelay(db.sessions, tables, bus, service="bench", batch_size=200)
    began = time.perf_counter()
    published = 0
    while n := await relay.relay_once():
        published += n
    elapsed = time.perf_counter() - began
    await bus.close()
    return {
        "events": published,
        "seconds": round(elapsed, 3),
        "events_per_s": round(published / elapsed),
    }


async def end_to_end(db, namespace: str, events: int, rate: float) -> dict:
    consumer = await asyncio.create_subprocess_exec(
        sys.executable,
        __file__,
        "--consume",
        namespace,
        "--count",
        str(events),
        stdout=asyncio.subprocess.PIPE,
    )
    assert consumer.stdout is not None
    assert (await consumer.stdout.readline()).strip() == b"ready"
    bus = RabbitMQBus(AMQP, namespace=namespace)
    await bus.start()
    await bus.wait_ready()
    relay = OutboxRelay(db.sessions, tables, bus, service="bench", poll_seconds=1.0)
    relay.start()
    interval = 1.0 / rate
    next_at = time.perf_counter()
    for i in range(events):
        async with db.uow(on_commit=relay.wake) as uow:
            thing = Thing(id=uuid.uuid4(), name=f"e2e {i}")
            uow.session.add(thing)
            uow.emit(
                Envelope(type="bench.latency", producer="bench", data={"t": time.time(), "i": i})
            )
            await uow.commit()
        next_at += interval
        await asyncio.sleep(max(0.0, next_at - time.perf_counter()))
    out, _ = await asyncio.wait_for(consumer.communicate(), timeout=120)
    await relay.stop()
    await bus.close()
    latencies = json.loads(out)
    return {
        "events": len(latencies),
        "rate_per_s": rate,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 2),
        "max_ms": round(max(latencies) * 1000, 2),
    }


async def consume(namespace: str, count: int) -> None:
    """The consumer process: prints 'ready', then the latencies as JSON."""
    latencies: list[float] = []
    done = asyncio.Event()

    async def handle(envelope: Envelope) -> None:
        latencies.append(time.time() - envelope.data["t"])
        if len(latencies) >= count:
            done.set()

    bus = RabbitMQBus(AMQP, namespace=namespace)
    bus.subscribe("latency", ["bench.latency"], handle)
    await bus.start()
    await bus.wait_ready()
    print("ready", flush=True)
    await asyncio.wait_for(done.wait(), timeout=120)
    await bus.close()
    print(json.dumps(latencies), flush=True)


async def main(args: argparse.Namespace) -> None:
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    dbs = PostgresDatabases(PG)
    try:
        db = await open_database(await dbs.create("bench"))
        throughput = await relay_throughput(db, namespace, args.events)
        latency = await end_to_end(db, namespace, args.latency_events, args.rate)
        await db.engine.dispose()
    finally:
        await dbs.drop_all()
        await delete_namespace(AMQP, namespace, ["latency"], RetryPolicy())
    print(
        json.dumps(
            {
                "benchmark": "outbox_relay",
                "backends": {"database": "postgresql", "broker": "rabbitmq"},
                "relay_throughput": throughput,
                "end_to_end_latency": latency,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--latency-events", type=int, default=1_000)
    parser.add_argument("--rate", type=float, default=100.0, help="events per second")
    parser.add_argument("--consume", metavar="NAMESPACE", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.consume:
        asyncio.run(consume(args.consume, args.count))
    else:
        asyncio.run(main(args))
