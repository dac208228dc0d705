"""Ticket creation through the gateway with one and with two tickets replicas, and what
a broker outage during a burst of writes does to the events.

* cluster: identity, tickets (one or two replicas), notify and the gateway, each
  `portal serve` in its own process (`tests/cluster_kit.py`) on PostgreSQL,
  RabbitMQ and Redis; the services reach the broker through a proxy the benchmark can
  cut. Every round gets a cluster of its own: fresh databases (copies of one template
  per service, migrated once) and a fresh broker namespace. Rate limits are off, and an
  agent exists so that each new ticket notifies someone (notify does its normal work).
* throughput: after 50 creations of warm-up, N creations (`POST /api/v1/tickets` as
  admin, httpx with keep-alive) at concurrency 16; requests/s, p50/p95/p99 latency,
  errors, how the gateway split the requests over the replicas (each replica's
  `portal_http_requests_total`) and how long notify then needed to notify the agent of
  every ticket. Speedup = two replicas' requests/s over one's.
* broker cut, on the two-replica cluster after its throughput round: a queue of the
  benchmark's own on the real broker (not through the proxy) bound to
  `tickets.ticket.created`; M creations at concurrency 16, the broker proxy cut after a
  quarter of them and restored 2 s after the last. Once an event arrived for every
  created ticket (at most 120 s), and 3 s later: writes answered 201 and failed, events
  lost, deliveries repeated on the wire (publishing is at least once: an event whose
  confirm was lost in the cut goes out again), the agent's notifications per ticket in
  notify's database (missing, or made twice), the duplicates notify's inbox absorbed
  (`portal_events_duplicate_total`: repeats on the wire, and redeliveries of messages
  notify handled but could not acknowledge in the cut) and the seconds from the restore
  to the last event.
* the errors and warnings each process logged, per phase (throughput, drill, stop).

Prints one JSON summary; progress goes to stderr. The processes' logs stay in `--logs`
(a new temporary directory by default). Needs PostgreSQL, RabbitMQ and Redis
(PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL, PORTAL_TEST_REDIS_URL; defaults are the
local servers). Usage: scale_out.py [--requests N] [--drill-writes M] [--concurrency C]
[--logs DIR] (`--requests 200 --drill-writes 80` is a quick run).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Awaitable, Callable
from itertools import pairwise
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from prometheus_client.parser import text_string_to_metric_families

from portal_chassis import migrations, registry
from portal_chassis.testing.event_tap import EventTap
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

# The cluster of the system tests (tests/cluster_kit.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from cluster_kit import Cluster

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "benchmark-admin-secret-1"
AGENT_PASSWORD = "Scale-out-agent-secret-7"
SERVICES = ("identity", "tickets", "notify")
CREATED = "tickets.ticket.created"
WARMUP = 50
REPLICAS = (1, 2)  # tickets replicas per round; the drill runs on the last
BEGAN = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - BEGAN:7.1f}s] {message}", file=sys.stderr, flush=True)


def percentile_ms(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 2)


def sample_sum(text: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


def sample_by(text: str, name: str, label: str) -> Counter[str]:
    """`name`'s samples summed per value of `label`."""
    found: Counter[str] = Counter()
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name:
                found[sample.labels.get(label, "")] += int(sample.value)
    return found


async def duplicates_by_consumer(cluster: Cluster) -> Counter[str]:
    found: Counter[str] = Counter()
    for member in cluster.replicas_of("notify"):
        text = await cluster.metrics(member.name)
        found += sample_by(text, "portal_events_duplicate_total", "consumer")
    return found


async def per_replica(cluster: Cluster, service: str, name: str, **labels: str) -> dict[str, float]:
    return {
        m.name: sample_sum(await cluster.metrics(m.name), name, **labels)
        for m in cluster.replicas_of(service)
    }


async def posts_per_replica(cluster: Cluster) -> dict[str, float]:
    return await per_replica(
        cluster, "tickets", "portal_http_requests_total", route="/api/v1/tickets", method="POST"
    )


async def build_templates(dbs: PostgresDatabases) -> dict[str, str]:
    """Per service, a database migrated once; each round's databases are copies of it,
    which is much cheaper than migrating them again."""
    templates: dict[str, str] = {}
    for name in SERVICES:
        module = registry.load(name)
        url = await dbs.create(f"bench_tmpl_{name}")
        await migrations.upgrade(
            migrations.alembic_config(versions=module.versions, metadata=module.metadata, url=url)
        )
        templates[name] = url.rsplit("/", 1)[1]
    return templates


class Desk:
    """The admin who writes the tickets, signed in through the gateway."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    @classmethod
    async def sign_in(cls, client: httpx.AsyncClient) -> Desk:
        login = await client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
        )
        login.raise_for_status()
        return cls(client, {"Authorization": f"Bearer {login.json()['access_token']}"})

    async def create_agent(self) -> str:
        agent = await self.client.post(
            "/api/v1/admin/users",
            json={
                "username": "benchagent",
                "email": "benchagent@example.com",
                "roles": ["agent"],
                "password": AGENT_PASSWORD,
            },
            headers=self.headers,
        )
        agent.raise_for_status()
        return str(agent.json()["id"])

    async def burst(
        self,
        count: int,
        concurrency: int,
        *,
        after: Callable[[int], Awaitable[None]] | None = None,
    ) -> tuple[list[float], list[httpx.Response | Exception]]:
        """`count` creations, `concurrency` at a time: the latency of each and its answer
        (or the transport error); `after(done)` runs after each."""
        latencies: list[float] = []
        answers: list[httpx.Response | Exception] = []
        queue = iter(range(count))

        async def worker() -> None:
            for n in queue:
                started = time.perf_counter()
                try:
                    answer: httpx.Response | Exception = await self.client.post(
                        "/api/v1/tickets",
                        json={
                            "title": f"Scale-out ticket {n}",
                            "description": "Created by the scale-out benchmark.",
                            "priority": "P3",
                        },
                        headers=self.headers,
                    )
                except httpx.HTTPError as exc:
                    answer = exc
                latencies.append(time.perf_counter() - started)
                answers.append(answer)
                if after is not None:
                    await after(len(answers))

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return latencies, answers


def created_numbers(answers: list[httpx.Response | Exception]) -> set[str]:
    return {
        a.json()["number"]
        for a in answers
        if isinstance(a, httpx.Response) and a.status_code == 201
    }


def failures(answers: list[httpx.Response | Exception]) -> dict[str, int]:
    """Failed answers by status code (or exception name)."""
    return dict(
        Counter(
            type(a).__name__ if isinstance(a, Exception) else str(a.status_code)
            for a in answers
            if not (isinstance(a, httpx.Response) and a.status_code == 201)
        )
    )


async def throughput(
    cluster: Cluster, desk: Desk, requests: int, concurrency: int
) -> tuple[dict[str, Any], int]:
    """The measurement, and how many tickets were created (warm-up included)."""
    _, warm = await desk.burst(WARMUP, concurrency)
    if failures(warm):
        say(f"warm-up failures: {failures(warm)}")
    before = await posts_per_replica(cluster)
    started = time.perf_counter()
    latencies, answers = await desk.burst(requests, concurrency)
    elapsed = time.perf_counter() - started
    after = await posts_per_replica(cluster)
    errors = failures(answers)
    measured = {
        "requests": requests,
        "seconds": round(elapsed, 3),
        "requests_per_second": round(requests / elapsed, 1),
        "p50_ms": percentile_ms(latencies, 0.50),
        "p95_ms": percentile_ms(latencies, 0.95),
        "p99_ms": percentile_ms(latencies, 0.99),
        "errors": sum(errors.values()),
        "errors_by_status": errors,
        "per_replica": {name: int(after[name] - before.get(name, 0)) for name in after},
    }
    return measured, len(created_numbers(warm)) + len(created_numbers(answers))


def notify_dsn(cluster: Cluster) -> str:
    return cluster.database_urls["notify"].replace("postgresql+asyncpg://", "postgresql://")


async def notifications(cluster: Cluster, agent_id: str, numbers: set[str]) -> dict[str, int]:
    """The agent's ticket_created notifications per ticket, from notify's database."""
    connection = await asyncpg.connect(notify_dsn(cluster))
    try:
        rows = await connection.fetch(
            "SELECT ticket_number, count(*) AS n FROM notification"
            " WHERE kind = 'ticket_created' AND user_id = $1 AND ticket_number = ANY($2)"
            " GROUP BY ticket_number",
            uuid.UUID(agent_id),
            list(numbers),
        )
    finally:
        await connection.close()
    return {r["ticket_number"]: r["n"] for r in rows}


async def notify_caught_up(cluster: Cluster, agent_id: str, tickets: int) -> float | None:
    """Seconds until the agent had a notification for each of `tickets` tickets; None if
    that took over two minutes."""
    started = time.monotonic()
    while time.monotonic() - started < 120:
        connection = await asyncpg.connect(notify_dsn(cluster))
        try:
            done = await connection.fetchval(
                "SELECT count(DISTINCT ticket_number) FROM notification"
                " WHERE kind = 'ticket_created' AND user_id = $1",
                uuid.UUID(agent_id),
            )
        finally:
            await connection.close()
        if done >= tickets:
            return round(time.monotonic() - started, 2)
        await asyncio.sleep(0.2)
    return None


async def broker_cut(
    cluster: Cluster, desk: Desk, agent_id: str, writes: int, concurrency: int
) -> dict:
    broker = cluster.proxies["broker"]
    duplicates_before = await duplicates_by_consumer(cluster)
    cut_at = max(1, writes // 4)

    async def cut_after_a_quarter(done: int) -> None:
        if done == cut_at:
            say(f"cutting the broker after {done} writes")
            await broker.cut()

    async with EventTap(AMQP, cluster.env["PORTAL_EVENT_NAMESPACE"], [CREATED]) as tap:
        try:
            _, answers = await desk.burst(writes, concurrency, after=cut_after_a_quarter)
            # The outage shows in the outbox: committed writes whose events wait. The
            # replicas share one outbox table, so each reports the same backlog.
            backlog = max((await per_replica(cluster, "tickets", "portal_outbox_backlog")).values())
            await asyncio.sleep(2.0)
        finally:
            await broker.start()
        restored = time.monotonic()
        say("broker restored; waiting for the events")
        numbers = created_numbers(answers)
        await tap.settle(numbers, timeout=120.0)
        ours = [(at, e) for at, e in tap.received if e["data"]["number"] in numbers]

    deliveries = Counter(e["id"] for _, e in ours)
    first_per_number: dict[str, float] = {}
    for at, e in ours:
        first_per_number.setdefault(e["data"]["number"], at)
    lost = numbers - set(first_per_number)

    # Notify handles the events behind the tap; give it as long to catch up.
    deadline = time.monotonic() + 60
    while True:
        counts = await notifications(cluster, agent_id, numbers)
        if set(counts) >= numbers - lost or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)
    duplicates = await duplicates_by_consumer(cluster) - duplicates_before
    errors = failures(answers)
    return {
        "writes": writes,
        "cut_after_writes": cut_at,
        "writes_created": len(numbers),
        "writes_failed": sum(errors.values()),
        "writes_failed_by_status": errors,
        "outbox_backlog_after_writes": int(backlog),
        "events_distinct": len(deliveries),
        "events_lost": len(lost),
        "events_repeated_on_wire": sum(n - 1 for n in deliveries.values()),
        "notifications_missing": len(numbers - set(counts)),
        "notifications_processed_twice": sum(1 for n in counts.values() if n > 1),
        "duplicates_absorbed_by_inbox": sum(duplicates.values()),
        "duplicates_absorbed_by_consumer": dict(duplicates),
        "seconds_restore_to_every_event": (
            round(max(first_per_number.values()) - restored, 2)
            if first_per_number and not lost
            else None
        ),
        "seconds_restore_to_last_delivery": (
            round(max(at for at, _ in ours) - restored, 2) if ours else None
        ),
        "targets": {"events_lost": 0, "notifications_processed_twice": 0},
    }


def log_sizes(logs: Path) -> dict[str, int]:
    return {path.stem: path.stat().st_size for path in logs.glob("*.log")}


# Object addresses and ports make one message look like many.
NOISE = re.compile(r"0x[0-9a-f]+|127\.0\.0\.1:\d+")
TOP_ERRORS = 8


def log_problems(logs: Path, since: dict[str, int], until: dict[str, int]) -> dict[str, Any]:
    """Errors and warnings the processes logged between two `log_sizes` snapshots: counts
    per process, and the most frequent error messages. The services log JSON lines; a
    crash's traceback comes as plain text."""
    counts: dict[str, Counter[str]] = {}
    errors: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    for path in sorted(logs.glob("*.log")):
        with path.open("rb") as f:
            f.seek(since.get(path.stem, 0))
            text = f.read(until.get(path.stem, 0) - since.get(path.stem, 0))
        for line in text.decode(errors="replace").splitlines():
            try:
                record = json.loads(line)
                level, message = str(record["level"]).lower(), str(record.get("msg", ""))
            except (ValueError, TypeError, KeyError):
                level = "error" if line.startswith("Traceback") else "other"
                message = line
            if level in ("warning", "error", "critical"):
                counts.setdefault(path.stem, Counter())[level] += 1
            if level in ("error", "critical"):
                message = NOISE.sub("...", message)[:200]
                errors[message] += 1
                where.setdefault(message, set()).add(path.stem)
    return {
        "per_process": {name: dict(c) for name, c in counts.items()},
        "top_errors": [
            {"message": m, "count": n, "processes": sorted(where[m])}
            for m, n in errors.most_common(TOP_ERRORS)
        ],
    }


async def run_round(
    args: argparse.Namespace, templates: dict[str, str], replicas: int, logs: Path
) -> dict:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:10]}"
    say(f"{replicas} tickets replica(s): starting the cluster ({namespace}, logs in {logs})")
    cluster: Cluster | None = None
    result: dict[str, Any] = {"tickets_replicas": replicas}
    drill: dict[str, Any] | None = None
    snapshots = [await asyncio.to_thread(log_sizes, logs)]
    try:
        urls = {s: await dbs.create(f"bench_{s}", template=templates[s]) for s in SERVICES}
        cluster = await Cluster.create(
            logs,
            database_urls=urls,
            amqp_url=AMQP,
            redis_url=REDIS,
            namespace=namespace,
            replicas={"tickets": replicas},
            env={
                "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
                "PORTAL_LOG_LEVEL": "WARNING",
                "GATEWAY_RATE_LIMIT_PER_USER": "0",
                "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
            },
        )
        limits = httpx.Limits(
            max_connections=args.concurrency, max_keepalive_connections=args.concurrency
        )
        async with httpx.AsyncClient(base_url=cluster.gateway, timeout=30, limits=limits) as client:
            desk = await Desk.sign_in(client)
            agent_id = await desk.create_agent()
            say(f"measuring {args.requests} creations at concurrency {args.concurrency}")
            measured, created = await throughput(cluster, desk, args.requests, args.concurrency)
            result.update(measured)
            say(f"{result['requests_per_second']} requests/s")
            # Let notify finish the round's events first, so that the drill (or the next
            # round) starts from a quiet system; how long it took shows whether it kept up.
            result["seconds_until_notify_caught_up"] = await notify_caught_up(
                cluster, agent_id, created
            )
            snapshots.append(await asyncio.to_thread(log_sizes, logs))
            if replicas == REPLICAS[-1]:
                say(f"broker-cut drill: {args.drill_writes} creations")
                drill = await broker_cut(
                    cluster, desk, agent_id, args.drill_writes, args.concurrency
                )
                snapshots.append(await asyncio.to_thread(log_sizes, logs))
    finally:
        if cluster is not None:
            await cluster.stop()
        await delete_namespace(AMQP, namespace, ["tickets", "notify"])
        await dbs.drop_all()
    snapshots.append(await asyncio.to_thread(log_sizes, logs))
    phases = [
        await asyncio.to_thread(log_problems, logs, since, until)
        for since, until in pairwise(snapshots)
    ]
    result["log_problems"] = phases[0]
    if drill is not None:
        drill["log_problems"] = phases[1]
    result["log_problems_at_stop"] = phases[-1]
    return {"round": result, "drill": drill}


async def main(args: argparse.Namespace, logs: Path) -> None:
    templates_dbs = PostgresDatabases(PG)
    rounds: list[dict] = []
    drill: dict | None = None
    try:
        say("migrating the template databases")
        templates = await build_templates(templates_dbs)
        for replicas in REPLICAS:
            outcome = await run_round(args, templates, replicas, logs / f"tickets-x{replicas}")
            rounds.append(outcome["round"])
            drill = outcome["drill"] or drill
    finally:
        await templates_dbs.drop_all()
    say(f"process logs kept in {logs}")
    print(
        json.dumps(
            {
                "benchmark": "scale_out",
                "cores": os.cpu_count(),
                "concurrency": args.concurrency,
                "request": "POST /api/v1/tickets through the gateway (bearer token)",
                "rounds": rounds,
                "speedup": round(
                    rounds[1]["requests_per_second"] / rounds[0]["requests_per_second"], 2
                ),
                "broker_cut": drill,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=1000, help="measured creations per round")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--drill-writes", type=int, default=200, help="creations in the drill")
    parser.add_argument("--logs", help="directory for the processes' logs (kept)")
    arguments = parser.parse_args()
    logs = Path(arguments.logs or tempfile.mkdtemp(prefix="scale_out-"))
    for replicas in REPLICAS:
        (logs / f"tickets-x{replicas}").mkdir(parents=True, exist_ok=True)
    asyncio.run(main(arguments, logs))
