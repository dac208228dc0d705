"""The public edge: security headers, body and rate limits, retries and the circuit
breaker, against the real gateway app (all-in-one, or alone in front of a closed port)."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from portal_fixtures import _run
from portal_harness import Portal

from portal_chassis.platform import Platform
from portal_chassis.ratelimit import Limit, LocalFirstRateLimiter, RedisRateLimiter, Usage
from portal_gateway.app import create_gateway_app
from portal_gateway.edge.breaker import Breaker
from portal_gateway.edge.middleware import RateLimits
from portal_gateway.settings import GatewaySettings


@pytest.fixture
async def tight(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AsyncIterator[Portal]:
    """The all-in-one portal with small limits, so that tests can reach them."""
    monkeypatch.setenv("GATEWAY_MAX_BODY_BYTES", "2000")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_USER", "5")
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_ADDRESS", "40")
    async for running in _run(tmp_path, {}):
        yield running


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_every_answer_carries_the_security_headers(sqlite_portal: Portal) -> None:
    client = sqlite_portal.client
    for path in ("/", "/login", "/faq", "/api/v1/faq/articles", "/nowhere", "/static/portal.css"):
        r = await client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-inline" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "same-origin"
        assert r.headers["x-frame-options"] == "DENY"
        # Plain http: no HSTS (a browser would ignore it, and it would pin a dev setup).
        assert "strict-transport-security" not in r.headers


async def test_hsts_when_the_portal_is_served_over_https(tmp_path: Path) -> None:
    async for portal in _run(tmp_path, {}, public_url="https://portal.example"):
        r = await portal.client.get("/login")
        assert r.headers["strict-transport-security"].startswith("max-age=31536000")


async def test_pages_have_no_inline_script(sqlite_portal: Portal) -> None:
    for path in ("/", "/login", "/faq", "/api/docs"):
        page = (await sqlite_portal.client.get(path)).text
        for tag in page.split("<script")[1:]:
            assert tag.split(">", 1)[0].strip().startswith("src="), (path, tag[:80])
        assert " onclick=" not in page and " style=" not in page


async def test_an_oversized_body_gets_413_and_is_not_read(tight: Portal) -> None:
    client = tight.client
    r = await client.post("/api/v1/auth/login", content=b"{" + b" " * 5000 + b"}")
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/body-too-large")

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it streams
        for _ in range(10):
            yield b" " * 500

    r = await client.post(
        "/api/v1/auth/login", content=chunks(), headers={"content-type": "application/json"}
    )
    assert r.status_code == 413
    # Uploads have their own, larger limit.
    headers = await tight.admin()
    r = await client.post(
        "/api/v1/files", files={"file": ("a.txt", b"x" * 5000, "text/plain")}, headers=headers
    )
    assert r.status_code == 201, r.text


async def test_rate_limit_per_user_answers_429_with_retry_after(tight: Portal) -> None:
    headers = await tight.admin()
    answers = [await tight.client.get("/api/v1/me", headers=headers) for _ in range(7)]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    limited = answers[5]
    assert limited.status_code == 429
    assert limited.headers["content-type"] == "application/problem+json"
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["type"].endswith("/rate-limited")


async def test_rate_limit_per_address(tight: Portal) -> None:
    statuses = [(await tight.client.get("/faq")).status_code for _ in range(45)]
    assert statuses.count(429) >= 4 and statuses[0] == 200
    # Health checks and static files are never limited.
    assert (await tight.client.get("/healthz")).status_code == 200
    assert (await tight.client.get("/static/portal.css")).status_code == 200


class CountingStore(RedisRateLimiter):
    """The real Redis limiter, counting its round trips."""

    round_trips = 0

    async def hit(self, key: str, limit: Limit, amount: int = 1) -> Usage:
        self.round_trips += 1
        return await super().hit(key, limit, amount)


def _replica(redis_url: str, prefix: str, limit: int, sync_seconds: float = 1.0) -> RateLimits:
    store = CountingStore(redis_url, prefix=prefix)
    return RateLimits(
        LocalFirstRateLimiter(store, sync_seconds=sync_seconds), Limit(limit, 60), None
    )


async def test_redis_counts_are_shared_between_gateway_replicas(redis_url: str) -> None:
    prefix = f"portal:test:{id(object())}:"
    first, second = _replica(redis_url, prefix, 20), _replica(redis_url, prefix, 20)
    try:
        results = [await r.check("user", "u1") for _ in range(15) for r in (first, second)]
        # Near the limit every hit is counted in Redis: exactly 20 pass, across both.
        assert results.count(None) == 20
        assert all(r is not None for r in results[-10:])
        assert await first.check("user", "u2") is None  # another user has own counts
    finally:
        await first.limiter.close()
        await second.limiter.close()


async def test_far_from_the_limit_hits_are_sent_to_redis_in_batches(redis_url: str) -> None:
    prefix = f"portal:test:{id(object())}:"
    replica = _replica(redis_url, prefix, 1000)
    store = replica.limiter._shared  # type: ignore[attr-defined]
    try:
        assert [await replica.check("user", "u") for _ in range(100)] == [None] * 100
        assert store.round_trips == 1
        # A hit after the sync interval adds the batch to the shared count.
        replica.limiter._sync_seconds = 0  # type: ignore[attr-defined]
        await replica.check("user", "u")
        assert store.round_trips == 2
        assert (await store.peek("gw:user:u", Limit(1000, 60))).count == 101
    finally:
        await replica.limiter.close()


async def test_a_broken_counter_store_lets_requests_through() -> None:
    limits = RateLimits(RedisRateLimiter("redis://127.0.0.1:1/0"), Limit(1, 60), Limit(1, 60))
    assert await limits.check("user", "u") is None
    assert await limits.check("user", "u") is None
    await limits.limiter.close()


def test_breaker_opens_after_failures_and_lets_one_trial_through() -> None:
    now = [0.0]
    breaker = Breaker("faq", failures=3, reset_seconds=10, clock=lambda: now[0])
    for _ in range(2):
        breaker.failed()
    assert breaker.retry_after() is None
    breaker.failed()
    assert breaker.is_open and breaker.retry_after() == 10
    now[0] = 9.5
    assert breaker.retry_after() == 1
    now[0] = 10.0
    assert breaker.retry_after() is None  # the trial
    assert breaker.retry_after() is not None  # only one at a time
    breaker.failed()  # the trial failed: open again for a whole pause
    now[0] = 15.0
    assert breaker.retry_after() == 5
    now[0] = 20.0
    assert breaker.retry_after() is None
    breaker.succeeded()
    assert not breaker.is_open and breaker.retry_after() is None


def test_a_trial_that_never_reports_is_replaced_after_a_pause() -> None:
    now = [0.0]
    breaker = Breaker("faq", failures=1, reset_seconds=10, clock=lambda: now[0])
    breaker.failed()
    now[0] = 10.0
    assert breaker.retry_after() is None  # a trial whose caller then went away
    now[0] = 19.0
    assert breaker.retry_after() is not None
    now[0] = 20.0
    assert breaker.retry_after() is None  # the next trial
    breaker.succeeded()
    assert not breaker.is_open


async def _lone_gateway(transports: dict[str, httpx.AsyncBaseTransport] | None = None, **env):
    settings = GatewaySettings(
        faq_url=f"http://127.0.0.1:{_closed_port()}",
        breaker_failures=3,
        breaker_reset_seconds=30,
        **env,
    )
    return create_gateway_app(settings, platform=Platform(transports=transports or {}))


async def test_a_down_service_opens_the_circuit_and_answers_503_at_once() -> None:
    app = await _lone_gateway()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            for _ in range(3):
                r = await client.get("/api/v1/faq/articles")
                assert r.status_code == 503
                assert r.headers["content-type"] == "application/problem+json"
                assert "faq service is unavailable" in r.json()["detail"]
            refused = await client.get("/api/v1/faq/articles")
            assert refused.status_code == 503 and int(refused.headers["retry-after"]) > 0
            upstreams = app.state.gateway["upstreams"]
            assert upstreams.replicas["faq"].all_open


async def test_requests_without_body_are_retried_and_posts_are_not() -> None:
    calls: list[str] = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request.method)
        if len(calls) % 3 != 0:
            raise httpx.ConnectError("connection refused", request=request)
        # An unread body, as a real connection delivers it.
        body = httpx.ByteStream(b'{"items": []}')
        return httpx.Response(200, headers={"content-type": "application/json"}, stream=body)

    app = await _lone_gateway({"faq": httpx.MockTransport(flaky)})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            r = await client.get("/api/v1/faq/articles")
            assert r.status_code == 200 and calls == ["GET", "GET", "GET"]
            calls.clear()
            r = await client.post("/api/v1/faq/categories", json={"name": "x"})
            assert r.status_code == 503 and calls == ["POST"]


async def test_a_cookie_in_one_answer_never_rides_along_with_the_next_request() -> None:
    """Services set no cookies, but should one answer with Set-Cookie, the gateway keeps
    no jar: the browser gets the answer as it is, and no later request (another
    caller's) carries it to the service."""
    seen: list[str | None] = []

    def upstream(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("cookie"))
        return httpx.Response(
            200,
            headers={"content-type": "application/json", "set-cookie": "sid=ben; Path=/"},
            stream=httpx.ByteStream(b'{"items": []}'),
        )

    app = await _lone_gateway({"faq": httpx.MockTransport(upstream)})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        for _ in range(2):  # two callers, each with a fresh client (no jar of its own)
            async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
                r = await client.get("/api/v1/faq/articles")
                assert r.status_code == 200 and r.headers["set-cookie"] == "sid=ben; Path=/"
    assert seen == [None, None]
