"""Sign-in latency and throughput, and the cost of verifying a token per request.

* login: the identity service as its own process (`portal serve identity`) on
  PostgreSQL; p50/p99 of sequential sign-ins, then logins/s and p50/p99 at concurrency 8.
* argon2id: the time of one hash with the service's parameters.
* verification: µs per `TokenVerifier.verify` with a warm JWKS cache (what the gateway
  and every service pay per request).

Prints one JSON summary (`--sequential 5 --concurrent 16` is the smoke run,
`tests/system/test_identity_login_benchmark.py`). Needs PostgreSQL
(PORTAL_TEST_POSTGRES_URL, default local).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx

from portal_chassis.auth import TokenVerifier
from portal_chassis.testing.plugin import PostgresDatabases
from portal_identity.accounts.passwords import PARAMETERS, hash_password

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark-admin-secret-1"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 2)


async def _login(client: httpx.AsyncClient) -> float:
    start = time.perf_counter()
    r = await client.post("/api/v1/auth/login", json={"username": "admin", "password": PASSWORD})
    r.raise_for_status()
    return time.perf_counter() - start


async def measure(base: str, sequential: int, concurrent: int) -> dict:
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(5):
            await _login(client)  # warm up pools and caches
        seq = [await _login(client) for _ in range(sequential)]
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(concurrent):
            queue.put_nowait(i)
        lat: list[float] = []

        async def worker() -> None:
            while not queue.empty():
                queue.get_nowait()
                lat.append(await _login(client))

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(8)))
        elapsed = time.perf_counter() - began
        token = (
            await client.post(
                "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
            )
        ).json()["access_token"]
        jwks = (await client.get("/.well-known/jwks.json")).json()
    return {
        "sequential": {"n": len(seq), "p50_ms": _pct(seq, 0.5), "p99_ms": _pct(seq, 0.99)},
        "concurrency_8": {
            "n": len(lat),
            "logins_per_s": round(len(lat) / elapsed, 1),
            "p50_ms": _pct(lat, 0.5),
            "p99_ms": _pct(lat, 0.99),
        },
        "_token": token,
        "_jwks": jwks,
    }


async def verification_cost(token: str, jwks: dict, issuer: str, rounds: int = 3000) -> dict:
    async def source() -> dict:
        return jwks

    verifier = TokenVerifier(source, issuer=issuer, audience="portal")
    await verifier.verify(token)
    start = time.perf_counter()
    for _ in range(rounds):
        await verifier.verify(token)
    per = (time.perf_counter() - start) / rounds
    return {"rounds": rounds, "us_per_verification": round(per * 1e6, 1)}


async def argon2_cost(rounds: int = 10) -> dict:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await hash_password("benchmark password 1")
        times.append(time.perf_counter() - start)
    return {
        "parameters": {"type": "argon2id", **PARAMETERS},
        "hash_ms_median": round(statistics.median(times) * 1000, 1),
    }


@asynccontextmanager
async def served_identity(**settings: str) -> AsyncIterator[str]:
    """The identity service as its own process (`portal serve identity`) on a fresh
    PostgreSQL database, with the admin's password PASSWORD; its base URL. `settings`:
    more environment variables (IDENTITY_*, PORTAL_*)."""
    dbs = PostgresDatabases(PG)
    url = await dbs.create("bench")
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "IDENTITY_DATABASE_URL": url,
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": base,
        "PORTAL_LOG_LEVEL": "WARNING",
        **settings,
    }
    cli = [sys.executable, "-m", "portal_ops.cli"]
    migrate = await asyncio.create_subprocess_exec(
        *cli, "migrate", "identity", env=env, stdout=sys.stderr
    )
    assert await migrate.wait() == 0
    server = await asyncio.create_subprocess_exec(
        *cli, "serve", "identity", "--port", str(port), env=env
    )
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(300):
                try:
                    if (await probe.get(f"{base}/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
        yield base
    finally:
        server.terminate()
        await server.wait()
        await dbs.drop_all()


async def main(args: argparse.Namespace) -> None:
    # Eight sign-ins of one account at once are eight attempts counted before their
    # passwords are checked: more than the throttle allows an account (5). The benchmark
    # measures signing in, not the throttle.
    unthrottled = {
        "IDENTITY_LOGIN_FAILURES_PER_ACCOUNT": "1000000",
        "IDENTITY_LOGIN_FAILURES_PER_ADDRESS": "1000000",
    }
    async with served_identity(**unthrottled) as base:
        login = await measure(base, sequential=args.sequential, concurrent=args.concurrent)
        verify = await verification_cost(login.pop("_token"), login.pop("_jwks"), base)
    print(
        json.dumps(
            {
                "benchmark": "identity_login",
                "login": login,
                "argon2": await argon2_cost(),
                "token_verification": verify,
                "targets": {"login_p50_ms": 150},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sequential", type=int, default=100, help="sign-ins one by one")
    parser.add_argument("--concurrent", type=int, default=400, help="sign-ins 8 at a time")
    asyncio.run(main(parser.parse_args()))
