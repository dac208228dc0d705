"""Stopping a replica: the lame-duck pause before uvicorn's graceful shutdown."""

from __future__ import annotations

import asyncio
import gc
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from portal_chassis import metrics
from portal_chassis.app import apply_common
from portal_chassis.health import ops_router
from portal_chassis.serving import DRAINING, Draining
from portal_ops.serving import LameDuckServer


@pytest.fixture
def draining() -> Iterator[Draining]:
    yield DRAINING
    DRAINING.since = None


def _app() -> FastAPI:
    app = FastAPI()
    apply_common(app, service="sample")

    async def ready() -> dict[str, bool]:
        return {"database": True}

    app.include_router(ops_router(ready))

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


async def test_a_draining_replica_serves_but_closes_connections_and_is_not_ready(
    draining: Draining,
) -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://s") as client:
        before = await client.get("/hello")
        assert "connection" not in before.headers
        assert (await client.get("/readyz")).status_code == 200

        DRAINING.start()
        during = await client.get("/hello")
        assert during.status_code == 200 and during.json() == {"hello": "world"}
        assert during.headers["connection"] == "close"
        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.headers["content-type"] == "application/problem+json"
        assert ready.json()["checks"] == {"database": True, "accepting": False}
        assert "shutting down" in ready.json()["detail"]


async def test_the_first_signal_starts_the_pause_and_the_second_ends_it(draining: Draining) -> None:
    server = LameDuckServer(uvicorn.Config(_app()), drain_seconds=30)
    server.handle_exit(signal.SIGTERM, None)
    assert DRAINING.active and not server.should_exit
    assert await server.on_tick(1) is False  # still serving
    server.handle_exit(signal.SIGTERM, None)
    assert server.should_exit


async def test_the_pause_ends_by_itself(draining: Draining) -> None:
    server = LameDuckServer(uvicorn.Config(_app()), drain_seconds=0.01)
    server.handle_exit(signal.SIGTERM, None)
    assert not server.should_exit

    await asyncio.sleep(0.02)
    assert await server.on_tick(1) is True


@pytest.fixture
def own_port() -> Iterator[int]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield port
    metrics._Exposition.elsewhere = False


async def test_metrics_on_their_own_port_leave_the_public_port(own_port: int) -> None:
    metrics.serve_on_own_port(own_port)
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://s") as client:
        await client.get("/hello")
        public = await client.get("/metrics")
        assert public.status_code == 404
        assert public.headers["content-type"] == "application/problem+json"
    async with httpx.AsyncClient() as scraper:
        scraped = await scraper.get(f"http://127.0.0.1:{own_port}/metrics")
    assert scraped.status_code == 200
    assert 'portal_http_requests_total{method="GET",route="/hello"' in scraped.text


@pytest.fixture
def thawed() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()  # this test process's objects go back to the collector


async def test_what_lives_once_started_is_kept_out_of_full_collections(
    own_port: int, thawed: None
) -> None:
    """A full collection walks every long-lived object, and every request waits while it
    runs: what the app holds once started is frozen, so later full collections walk only
    what requests have made since."""
    long_lived = len(gc.get_objects(generation=2))
    assert gc.get_freeze_count() == 0 and long_lived > 10_000
    server = LameDuckServer(uvicorn.Config(_app(), port=own_port, log_config=None), drain_seconds=0)
    serving = asyncio.create_task(server.serve())
    try:
        async with asyncio.timeout(10):
            while not server.started:
                await asyncio.sleep(0.01)
        # Frozen: what was long-lived then (less what the collection freed), and the
        # oldest generation, which full collections walk, nearly empty.
        assert gc.get_freeze_count() > long_lived / 2
        assert len(gc.get_objects(generation=2)) < long_lived / 10
        async with httpx.AsyncClient() as client:  # and it serves as before
            answer = await client.get(f"http://127.0.0.1:{own_port}/hello")
        assert answer.json() == {"hello": "world"}
    finally:
        server.should_exit = True
        await serving


# Four threads, each making and freeing a 19 MiB block three times (a password hash's
# working memory), in a fresh process; prints how much more it holds afterwards (MiB).
_BLOCKS = """
import sys, threading
from portal_ops.serving import return_large_blocks

def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024

if sys.argv[1] == "returned":
    assert return_large_blocks()
before = rss()

def work():
    for _ in range(3):
        block = b"x" * (19 << 20)
        del block

threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(rss() - before)
"""


def _held_after_blocks(mode: str) -> float:
    done = subprocess.run(
        [sys.executable, "-c", _BLOCKS, mode], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return float(done.stdout)


def test_large_blocks_go_back_to_the_system_once_freed() -> None:
    """Left to glibc's moving threshold, the blocks stay in the threads' arenas (a
    served identity held 144 MB at rest); `serve` makes them go back when freed."""
    assert _held_after_blocks("kept") > 19  # what the server no longer does
    assert _held_after_blocks("returned") < 5
