"""Several replicas of one service behind the gateway: requests are taken in turn, a
replica that refuses connections is skipped, and a request with a body goes to another
replica only when none of it was sent."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import httpx

from portal_chassis.platform import Platform
from portal_chassis.settings import split_urls
from portal_gateway.app import create_gateway_app
from portal_gateway.edge.replicas import ReplicaSet
from portal_gateway.settings import GatewaySettings

FIRST, SECOND = "http://10.0.0.5:8000", "http://10.0.0.6:8000"


class Replicas(httpx.AsyncBaseTransport):
    """Two replicas of the faq service told apart by address; `down` refuse connections
    the way a stopped process does (before reading anything)."""

    def __init__(self) -> None:
        self.down: set[str] = set()
        self.seen: list[tuple[str, str, bytes]] = []
        self.after_body: Callable[[httpx.Request], None] | None = None
        self.leaving: set[str] = set()  # in their lame-duck pause

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        host = f"{request.url.host}:{request.url.port}"
        if host in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        body = await request.aread()
        if self.after_body is not None:
            self.after_body(request)
        self.seen.append((host, request.method, body))
        answer = {"replica": host, "host_header": request.headers["host"]}
        headers = {"connection": "close"} if host in self.leaving else {}
        return httpx.Response(201 if body else 200, json=answer, headers=headers)


Check = Callable[[httpx.AsyncClient, ReplicaSet], Awaitable[None]]


async def _with_client(transport: Replicas, check: Check) -> None:
    settings = GatewaySettings(faq_url=f"{FIRST}, {SECOND}/", breaker_failures=2)
    app = create_gateway_app(settings, platform=Platform(transports={"faq": transport}))
    async with app.router.lifespan_context(app):
        asgi = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=asgi, base_url="http://gw") as client:
            await check(client, app.state.gateway["upstreams"].replicas["faq"])


def test_urls_are_split_and_trimmed() -> None:
    assert split_urls(" http://a:1/, http://b:2 ,,") == ["http://a:1", "http://b:2"]
    assert GatewaySettings(faq_url=f"{FIRST},{SECOND}").upstream_urls("faq") == [FIRST, SECOND]


async def test_requests_are_spread_over_the_replicas_in_turn() -> None:
    replicas = Replicas()

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        answers = [(await client.get("/api/v1/faq/articles")).json() for _ in range(6)]
        hosts = [a["replica"] for a in answers]
        assert hosts == ["10.0.0.5:8000", "10.0.0.6:8000"] * 3
        # Each replica is addressed by its own name.
        assert all(a["host_header"] == a["replica"] for a in answers)

    await _with_client(replicas, check)


async def test_a_post_refused_by_one_replica_is_answered_by_the_other_whole() -> None:
    replicas = Replicas()
    replicas.down.add("10.0.0.5:8000")

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        for n in range(4):
            r = await client.post("/api/v1/faq/categories", json={"name": f"c{n}"})
            assert r.status_code == 201 and r.json()["replica"] == "10.0.0.6:8000"
        bodies = [json.loads(body) for _, method, body in replicas.seen if method == "POST"]
        assert bodies == [{"name": f"c{n}"} for n in range(4)]  # each once, complete
        # The refusing replica's circuit is open: it is no longer even tried.
        assert pool.replicas[0].breaker.is_open and not pool.all_open

    await _with_client(replicas, check)


async def test_a_body_that_was_sent_is_never_sent_again() -> None:
    replicas = Replicas()
    reached: list[str] = []

    def drop(request: httpx.Request) -> None:
        # The connection breaks after the service read the body: it may have acted on it.
        reached.append(request.url.host)
        raise httpx.ConnectError("connection reset", request=request)

    replicas.after_body = drop

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        r = await client.post("/api/v1/faq/categories", json={"name": "once"})
        assert r.status_code == 503
        assert r.headers["content-type"] == "application/problem+json"
        assert reached == ["10.0.0.5"]  # one replica, once

    await _with_client(replicas, check)


async def test_every_replica_down_is_a_503_problem() -> None:
    replicas = Replicas()
    replicas.down.update({"10.0.0.5:8000", "10.0.0.6:8000"})

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        r = await client.get("/api/v1/faq/articles")
        assert r.status_code == 503
        assert "faq service is unavailable" in r.json()["detail"]
        refused = await client.get("/api/v1/faq/articles")
        assert refused.status_code == 503 and int(refused.headers["retry-after"]) > 0

    await _with_client(replicas, check)


async def test_a_replica_that_says_it_is_stopping_gets_no_new_requests() -> None:
    replicas = Replicas()
    replicas.leaving.add("10.0.0.5:8000")

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        hosts = [(await client.get("/api/v1/faq/articles")).json()["replica"] for _ in range(5)]
        # Its answer to the request in flight still counts; then only the other is asked.
        assert hosts == ["10.0.0.5:8000"] + ["10.0.0.6:8000"] * 4
        assert pool.replicas[0].leaving and not pool.replicas[0].breaker.is_open

    await _with_client(replicas, check)


async def test_when_every_replica_is_stopping_they_still_answer() -> None:
    replicas = Replicas()
    replicas.leaving.update({"10.0.0.5:8000", "10.0.0.6:8000"})

    async def check(client: httpx.AsyncClient, pool: ReplicaSet) -> None:
        answers = [await client.post("/api/v1/faq/categories", json={}) for _ in range(4)]
        assert [a.status_code for a in answers] == [201] * 4
        assert all(r.leaving for r in pool.replicas)

    await _with_client(replicas, check)
