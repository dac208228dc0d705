"""What the gateway adds to a request: the same authenticated read made straight to the
service and through the gateway, at concurrency 8, in alternating rounds so that drift
on a busy machine hits both alike.

* services: identity (sign-in, JWKS), faq (the service under test) and the gateway, each
  `portal serve` in its own process on PostgreSQL, rate limits counted in Redis as in
  production (limits raised so the load is not refused);
* request: `GET /api/v1/faq/categories` with a bearer token (the gateway verifies it,
  counts it against the user and address limits, adds its headers and streams the
  answer; the service verifies it again);
* overhead = percentile through the gateway minus the same percentile direct.

Prints one JSON summary. Needs PostgreSQL and Redis (PORTAL_TEST_POSTGRES_URL,
PORTAL_TEST_REDIS_URL; default local). Usage: gateway_overhead.py [--requests N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import sys
import time

import httpx

from portal_chassis.testing.plugin import PostgresDatabases

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "benchmark-admin-secret-1"
CONCURRENCY = 8
PATH = "/api/v1/faq/categories"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000


async def _round(
    client: httpx.AsyncClient, base: str, headers: dict, count: int, concurrency: int
) -> list[float]:
    latencies: list[float] = []
    remaining = count

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter()
            r = await client.get(base + PATH, headers=headers)
            latencies.append(time.perf_counter() - start)
            if r.status_code != 200:
                raise RuntimeError(f"{base}{PATH}: {r.status_code} {r.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies


async def _ready(base: str) -> None:
    async with httpx.AsyncClient() as probe:
        for _ in range(600):
            try:
                if (await probe.get(f"{base}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(base)


async def main(requests: int) -> None:
    dbs = PostgresDatabases(PG)
    ports = {name: _port() for name in ("identity", "faq", "gateway")}
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    env = {
        **os.environ,
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": gateway,
        "PORTAL_REDIS_URL": REDIS,
        "PORTAL_LOG_LEVEL": "WARNING",
        "IDENTITY_URL": f"http://127.0.0.1:{ports['identity']}",
        "FAQ_URL": f"http://127.0.0.1:{ports['faq']}",
        "GATEWAY_RATE_LIMIT_PER_USER": "10000000",
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "10000000",
        "IDENTITY_DATABASE_URL": await dbs.create("gw_identity"),
        "FAQ_DATABASE_URL": await dbs.create("gw_faq"),
    }
    cli = [sys.executable, "-m", "portal_ops.cli"]
    migrate = await asyncio.create_subprocess_exec(
        *cli, "migrate", "identity", "faq", env=env, stdout=sys.stderr
    )
    assert await migrate.wait() == 0
    servers = [
        await asyncio.create_subprocess_exec(
            *cli, "serve", name, "--port", str(port), env=env, stdout=sys.stderr
        )
        for name, port in ports.items()
    ]
    try:
        for port in ports.values():
            await _ready(f"http://127.0.0.1:{port}")
        limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
        async with httpx.AsyncClient(timeout=30, limits=limits) as client:
            login = await client.post(
                f"{gateway}/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
            )
            login.raise_for_status()
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            direct_base = f"http://127.0.0.1:{ports['faq']}"
            for base in (direct_base, gateway):  # warm up connections, caches, JWKS
                await _round(client, base, headers, 400, CONCURRENCY)
            results: dict[int, tuple[list[float], list[float]]] = {}
            rounds = 10
            for concurrency in (1, CONCURRENCY):
                direct: list[float] = []
                proxied: list[float] = []
                count = requests // rounds // (4 if concurrency == 1 else 1)
                for _ in range(rounds):
                    direct += await _round(client, direct_base, headers, count, concurrency)
                    proxied += await _round(client, gateway, headers, count, concurrency)
                results[concurrency] = (direct, proxied)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            await server.wait()
        await dbs.drop_all()

    def summary(values: list[float]) -> dict[str, float]:
        return {f"p{q}_ms": round(_pct(values, q / 100), 2) for q in (50, 90, 99)}

    report: dict[str, object] = {
        "benchmark": "gateway_overhead",
        "request": f"GET {PATH} (bearer token)",
    }
    for concurrency, (direct, proxied) in results.items():
        d, p = summary(direct), summary(proxied)
        report[f"concurrency_{concurrency}"] = {
            "requests_each": len(direct),
            "direct": d,
            "through_gateway": p,
            "overhead": {k: round(p[k] - d[k], 2) for k in d},
        }
    report["targets"] = {"overhead_p50_ms_at_concurrency_8": 2}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    asyncio.run(main(parser.parse_args().requests))
