"""Scale-out and fault drills on the distributed mode: identity, two replicas each of
tickets and notify, and the gateway, each its own process on PostgreSQL, RabbitMQ and
Redis. The services reach the broker, and tickets its database, through proxies this
test cuts and restores; processes are killed and stopped as an orchestrator would.

One cluster serves the whole module (starting eight processes costs more than every
drill together); each drill leaves it whole again."""

from __future__ import annotations

import asyncio
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Callable

import asyncpg
import httpx
import pytest
import pytest_asyncio
from cluster_kit import Cluster
from prometheus_client.parser import text_string_to_metric_families
from skeleton import ADMIN_PASSWORD

from portal_chassis.testing.event_tap import EventTap
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

pytestmark = [
    pytest.mark.integration,
    pytest.mark.system,
    pytest.mark.asyncio(loop_scope="module"),
]
CREATED = "tickets.ticket.created"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def cluster(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_url: str,
    amqp_url: str,
    redis_url: str,
    migrated_templates: dict[str, str],
) -> AsyncIterator[Cluster]:
    dbs = PostgresDatabases(postgres_url)
    namespace = f"test{uuid.uuid4().hex[:10]}"
    urls = {
        name: await dbs.create(name, template=migrated_templates[name])
        for name in ("identity", "tickets", "notify")
    }
    running = await Cluster.create(
        tmp_path_factory.mktemp("cluster"),
        database_urls=urls,
        amqp_url=amqp_url,
        redis_url=redis_url,
        namespace=namespace,
        replicas={"tickets": 2, "notify": 2},
        proxied_databases=("tickets",),
        env={
            "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": ADMIN_PASSWORD,
            # A replica that failed gets its trial request after a second.
            "GATEWAY_BREAKER_RESET_SECONDS": "1",
            "GATEWAY_RATE_LIMIT_PER_USER": "0",
            "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
            "PORTAL_SHUTDOWN_DRAIN_SECONDS": "2",
        },
    )
    try:
        yield running
    finally:
        await running.stop()
        await delete_namespace(amqp_url, namespace, ["notify"])
        await dbs.drop_all()


class Desk:
    """The admin who writes tickets and the agent who is told about each."""

    def __init__(self, client: httpx.AsyncClient, admin: dict, agent_id: str) -> None:
        self.client = client
        self.admin = admin
        self.agent_id = agent_id

    async def create(self, title: str) -> httpx.Response:
        return await self.client.post(
            "/api/v1/tickets",
            json={"title": title, "description": "Scale-out drill.", "priority": "P3"},
            headers=self.admin,
        )

    async def burst(
        self, count: int, concurrency: int, *, after: Callable[[int], object] | None = None
    ) -> list[httpx.Response]:
        """`count` creations, `concurrency` at a time; `after(done)` runs after each."""
        answers: list[httpx.Response] = []
        queue = iter(range(count))

        async def worker() -> None:
            for n in queue:
                answers.append(await self.create(f"Drill ticket {n}"))
                if after is not None:
                    result = after(len(answers))
                    if asyncio.iscoroutine(result):
                        await result

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return answers


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def desk(cluster: Cluster) -> AsyncIterator[Desk]:
    async with httpx.AsyncClient(base_url=cluster.gateway, timeout=30) as client:
        login = await client.post(
            "/api/v1/auth/login", json={"username": "admin", "password": ADMIN_PASSWORD}
        )
        assert login.status_code == 200, login.text
        admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
        agent = await client.post(
            "/api/v1/admin/users",
            json={
                "username": "drillagent",
                "email": "drill@example.com",
                "roles": ["agent"],
                "password": "drill-agent-secret-7",
            },
            headers=admin,
        )
        assert agent.status_code == 201, agent.text
        yield Desk(client, admin, agent.json()["id"])


@pytest_asyncio.fixture(loop_scope="module", autouse=True)
async def whole(cluster: Cluster) -> None:
    """Each drill starts with every replica up and taken by the gateway (the one before
    may have left a circuit open that the gateway's probe has not closed yet)."""
    deadline = time.monotonic() + 20
    while True:
        text = await cluster.metrics("gateway")
        if _sample(text, "portal_gateway_circuit_open") == 0:
            return
        assert time.monotonic() < deadline, "a replica stayed shut out"
        await asyncio.sleep(0.2)


async def _settled(tap: EventTap, numbers: set[str], timeout: float = 60.0) -> Counter[str]:
    """Once an event arrived for every ticket in `numbers` (and a moment longer, for any
    duplicate to show), how often each event id arrived."""
    await tap.settle(numbers, timeout, quiet=2.0)
    ours = [e for _, e in tap.received if e["data"]["number"] in numbers]
    missing = numbers - {e["data"]["number"] for e in ours}
    assert not missing, f"no event for {len(missing)} tickets, e.g. {sorted(missing)[:3]}"
    return Counter(e["id"] for e in ours)


@pytest_asyncio.fixture(loop_scope="module")
async def tap(cluster: Cluster, amqp_url: str) -> AsyncIterator[EventTap]:
    namespace = cluster.env["PORTAL_EVENT_NAMESPACE"]
    async with EventTap(amqp_url, namespace, [CREATED]) as running:
        yield running


def _numbers(answers: list[httpx.Response]) -> set[str]:
    bad = [(a.status_code, a.text[:200]) for a in answers if a.status_code != 201]
    assert not bad, f"{len(bad)} of {len(answers)} writes failed: {bad[:3]}"
    return {a.json()["number"] for a in answers}


async def _notified_once(cluster: Cluster, desk: Desk, numbers: set[str]) -> None:
    """The agent was told about each ticket exactly once (read in notify's database)."""
    dsn = cluster.database_urls["notify"].replace("postgresql+asyncpg://", "postgresql://")
    deadline = time.monotonic() + 60
    while True:
        connection = await asyncpg.connect(dsn)
        try:
            rows = await connection.fetch(
                "SELECT ticket_number, count(*) AS n FROM notification"
                " WHERE kind = 'ticket_created' AND user_id = $1 AND ticket_number = ANY($2)"
                " GROUP BY ticket_number",
                uuid.UUID(desk.agent_id),
                list(numbers),
            )
        finally:
            await connection.close()
        counts = {r["ticket_number"]: r["n"] for r in rows}
        if set(counts) == numbers or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert set(counts) == numbers, f"{len(numbers - set(counts))} tickets without notification"
    assert set(counts.values()) == {1}, {k: v for k, v in counts.items() if v != 1}


def _sample(text: str, name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels`."""
    total = 0.0
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and labels.items() <= sample.labels.items():
                total += sample.value
    return total


async def _per_replica(cluster: Cluster, service: str, name: str, **labels: str) -> list[float]:
    return [
        _sample(await cluster.metrics(m.name), name, **labels) for m in cluster.replicas_of(service)
    ]


async def test_two_replicas_share_the_work_and_every_event_goes_out_once(
    cluster: Cluster, desk: Desk, tap: EventTap
) -> None:
    posts_before = await _per_replica(
        cluster, "tickets", "portal_http_requests_total", route="/api/v1/tickets", method="POST"
    )
    published_before = await _per_replica(
        cluster, "tickets", "portal_events_published_total", type=CREATED
    )
    consumed_before = await _per_replica(cluster, "notify", "portal_events_consumed_total")

    numbers = _numbers(await desk.burst(40, 8))

    # The gateway spread the writes over both replicas.
    posts = await _per_replica(
        cluster, "tickets", "portal_http_requests_total", route="/api/v1/tickets", method="POST"
    )
    spread = [after - before for after, before in zip(posts, posts_before, strict=True)]
    assert sum(spread) == 40 and min(spread) >= 10, spread

    # Every event exactly once, though both replicas' outbox relays ran.
    counts = await _settled(tap, numbers)
    assert len(counts) == 40 and set(counts.values()) == {1}
    published = await _per_replica(
        cluster, "tickets", "portal_events_published_total", type=CREATED
    )
    relayed = [after - before for after, before in zip(published, published_before, strict=True)]
    assert sum(relayed) == 40 and min(relayed) > 0, relayed

    # Both notify replicas consumed (competing consumers); each notification once.
    await _notified_once(cluster, desk, numbers)
    consumed = await _per_replica(cluster, "notify", "portal_events_consumed_total")
    assert all(a > b for a, b in zip(consumed, consumed_before, strict=True)), consumed


async def test_a_broker_cut_during_a_burst_of_writes_loses_and_repeats_nothing(
    cluster: Cluster, desk: Desk, tap: EventTap
) -> None:
    """Publishing is at least once: an event whose confirm was lost in the cut is sent
    again, and the consumers' inboxes make it count once."""
    broker = cluster.proxies["broker"]
    skipped_before = sum(await _per_replica(cluster, "notify", "portal_events_duplicate_total"))

    async def cut_midway(done: int) -> None:
        if done == 10:
            await broker.cut()

    try:
        answers = await desk.burst(40, 4, after=cut_midway)
        numbers = _numbers(answers)  # every write answered 201 with the broker away
        # The outage shows in the outbox, not in readiness: the service keeps taking writes.
        async with httpx.AsyncClient() as client:
            for member in cluster.replicas_of("tickets"):
                ready = await client.get(f"{member.url}/readyz")
                assert ready.status_code == 200, ready.text
        backlog = sum(await _per_replica(cluster, "tickets", "portal_outbox_backlog"))
        assert backlog > 0
    finally:
        await broker.start()
    counts = await _settled(tap, numbers, timeout=90)
    assert len(counts) == 40  # none lost
    # Sent again only what was in flight at the cut; each seen once by the consumer.
    repeated = sum(n - 1 for n in counts.values())
    assert repeated <= 10, counts.most_common(3)
    await _notified_once(cluster, desk, numbers)
    skipped = sum(await _per_replica(cluster, "notify", "portal_events_duplicate_total"))
    assert skipped - skipped_before >= repeated


async def test_a_killed_replica_is_skipped_and_a_dead_service_is_a_quick_503(
    cluster: Cluster, desk: Desk
) -> None:
    client = desk.client
    cluster.kill("tickets-1")
    try:
        # The other replica takes every request, writes included.
        answers = await desk.burst(10, 2)
        _numbers(answers)
        for _ in range(4):
            assert (await client.get("/api/v1/tickets", headers=desk.admin)).status_code == 200

        cluster.kill("tickets-2")
        for request in (
            client.build_request("GET", "/api/v1/tickets", headers=desk.admin),
            client.build_request(
                "POST", "/api/v1/tickets", json={"title": "x"}, headers=desk.admin
            ),
        ):
            started = time.monotonic()
            answer = await client.send(request)
            assert time.monotonic() - started < 1.0
            assert answer.status_code == 503
            assert answer.headers["content-type"] == "application/problem+json"
            assert "tickets service is unavailable" in answer.json()["detail"]
    finally:
        await asyncio.gather(cluster.restart("tickets-1"), cluster.restart("tickets-2"))

    async def answered() -> int:
        return (await client.get("/api/v1/tickets", headers=desk.admin)).status_code

    deadline = time.monotonic() + 10
    while await answered() != 200:
        assert time.monotonic() < deadline, "the gateway did not find the service again"
        await asyncio.sleep(0.2)


async def test_an_unreachable_database_fails_readiness_until_it_returns(
    cluster: Cluster, desk: Desk
) -> None:
    database = cluster.proxies["tickets"]
    replica = cluster.replicas_of("tickets")[0]
    async with httpx.AsyncClient(timeout=10) as client:
        await database.cut()
        try:
            deadline = time.monotonic() + 15
            while (ready := await client.get(f"{replica.url}/readyz")).status_code == 200:
                assert time.monotonic() < deadline, "readiness never noticed"
                await asyncio.sleep(0.2)
            assert ready.status_code == 503 and ready.json()["checks"]["database"] is False
            # A request meanwhile gets a clear answer, not a hang.
            started = time.monotonic()
            answer = await desk.client.get("/api/v1/tickets", headers=desk.admin)
            assert answer.status_code == 503, answer.text
            assert answer.headers["content-type"] == "application/problem+json"
            assert time.monotonic() - started < 10
        finally:
            await database.start()
        deadline = time.monotonic() + 20
        while (await client.get(f"{replica.url}/readyz")).status_code != 200:
            assert time.monotonic() < deadline, "readiness did not recover"
            await asyncio.sleep(0.2)
    _numbers([await desk.create("After the database came back")])


async def test_sigterm_under_load_finishes_what_is_in_flight(
    cluster: Cluster, desk: Desk, tap: EventTap
) -> None:
    leaving: list[httpx.Response] = []
    logged = {name: len(cluster.log(name)) for name in ("tickets-1", "notify-1")}

    async def stop_midway(done: int) -> None:
        if done == 15:
            # One replica of each is asked to stop while requests and messages flow.
            cluster.terminate("tickets-1")
            cluster.terminate("notify-1")
            await asyncio.sleep(0.3)
            async with httpx.AsyncClient() as client:
                url = cluster.members["tickets-1"].url
                leaving.append(await client.get(f"{url}/readyz"))

    try:
        numbers = _numbers(await desk.burst(60, 6, after=stop_midway))
        # In its lame-duck pause the replica told the cluster it is leaving.
        [readiness] = leaving
        assert readiness.status_code == 503 and readiness.json()["checks"]["accepting"] is False
        for name in ("tickets-1", "notify-1"):
            # uvicorn ends by re-raising the signal it handled: -SIGTERM after a clean stop.
            assert await asyncio.to_thread(cluster.wait, name) in (0, -signal.SIGTERM)
            log = cluster.log(name)[logged[name] :]
            assert "Application shutdown complete" in log and "Traceback" not in log, log[-3000:]
        counts = await _settled(tap, numbers)
        assert len(counts) == 60 and set(counts.values()) == {1}
        await _notified_once(cluster, desk, numbers)
    finally:
        await asyncio.gather(cluster.restart("tickets-1"), cluster.restart("notify-1"))
