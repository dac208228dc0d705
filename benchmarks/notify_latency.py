"""Notification latency: from a committed ticket reply to the mail accepted by an SMTP
server and to the server-sent event in a connected browser.

Starts identity, tickets, notify and the gateway as separate processes (distributed mode)
on PostgreSQL, RabbitMQ and Redis, the notify service's Celery worker, and a real SMTP
server process (aiosmtpd, `tests/smtp_sink.py`). A customer keeps the notification
stream open through the gateway while an agent answers the customer's tickets at a
steady rate (default 100 replies/s). Each reply carries a marker; the time of the write
is the reply's `created_at` (set in the committing transaction), the arrival times are
the SMTP server's acceptance and the stream client's receipt. Prints one JSON summary.

Needs PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL and PORTAL_TEST_REDIS_URL (the
defaults are the local servers).
"""

from __future__ import annotations

import argparse
import asyncio
import email
import json
import os
import socket
import sys
import time
import uuid
from datetime import datetime
from email import policy
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import httpx

from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "benchmark-admin-secret-1"
USER_PASSWORD = "benchmark-user-secret-2"
SERVICES = ("identity", "tickets", "notify")
SINK = Path(__file__).resolve().parents[1] / "tests" / "smtp_sink.py"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children that were waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(f) for f in fields[11:15])
    return round(ticks / os.sysconf("SC_CLK_TCK"), 1)


def _stats(latencies_ms: list[float], expected: int) -> dict[str, Any]:
    if not latencies_ms:
        return {"received": 0, "expected": expected}
    return {
        "received": len(latencies_ms),
        "expected": expected,
        "p50_ms": round(_pct(latencies_ms, 0.50), 1),
        "p99_ms": round(_pct(latencies_ms, 0.99), 1),
        "max_ms": round(max(latencies_ms), 1),
    }


async def _ready(port: int, proc: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as probe:
        for _ in range(600):
            assert proc.returncode is None, f"process on port {port} exited"
            try:
                if (await probe.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise TimeoutError(f"port {port} not ready")


async def _login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _people(client: httpx.AsyncClient) -> tuple[dict[str, str], dict[str, str]]:
    admin = await _login(client, "admin", PASSWORD)
    org = await client.post(
        "/api/v1/admin/organizations", json={"name": "Bench Ltd"}, headers=admin
    )
    org.raise_for_status()
    for username, roles, organization in (
        ("benchcustomer", ["customer"], org.json()["id"]),
        ("benchagent", ["agent"], None),
    ):
        r = await client.post(
            "/api/v1/admin/users",
            json={
                "username": username,
                "email": f"{username}@example.com",
                "roles": roles,
                "organization_id": organization,
                "password": USER_PASSWORD,
            },
            headers=admin,
        )
        r.raise_for_status()
    customer = await _login(client, "benchcustomer", USER_PASSWORD)
    agent = await _login(client, "benchagent", USER_PASSWORD)
    return customer, agent


class StreamClient:
    """The customer's browser: one event stream, each notification's arrival time."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers
        self.arrivals: dict[str, float] = {}
        self.connected = asyncio.Event()

    async def run(self) -> None:
        async with self.client.stream(
            "GET", "/api/v1/notifications/stream", headers=self.headers, timeout=None
        ) as response:
            async for line in response.aiter_lines():
                if line.startswith("event: ready"):
                    self.connected.set()
                elif line.startswith("data: ") and "bench-" in line:
                    now = time.time()
                    body = json.loads(line[len("data: ") :])["body"]
                    self.arrivals.setdefault(body, now)


def _mail_arrivals(directory: Path) -> dict[str, float]:
    """Marker -> time the SMTP server accepted the mail (its file name, in ns)."""
    found: dict[str, float] = {}
    for path in directory.glob("*.eml"):
        with path.open("rb") as f:
            message = email.message_from_binary_file(f, policy=policy.default)
        part = message.get_body(preferencelist=("plain",))
        text = part.get_content() if part is not None else ""
        for line in text.splitlines():
            if line.startswith("> bench-"):
                found[line[2:].strip()] = int(path.stem) / 1e9
    return found


async def _replies(
    client: httpx.AsyncClient,
    agent: dict[str, str],
    numbers: list[str],
    *,
    prefix: str,
    count: int,
    rate: float,
) -> tuple[dict[str, float], list[float], float]:
    """Send `count` replies at `rate`/s; returns marker -> write time, POST latencies and
    the achieved rate."""
    written: dict[str, float] = {}
    post_ms: list[float] = []

    async def one(i: int) -> None:
        marker = f"{prefix}-{i}"
        start = time.perf_counter()
        r = await client.post(
            f"/api/v1/tickets/{numbers[i % len(numbers)]}/articles",
            json={"body": marker},
            headers=agent,
        )
        post_ms.append((time.perf_counter() - start) * 1000)
        r.raise_for_status()
        written[marker] = datetime.fromisoformat(r.json()["created_at"]).timestamp()

    start = time.perf_counter()
    jobs = []
    for i in range(count):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        jobs.append(asyncio.create_task(one(i)))
    await asyncio.gather(*jobs)
    return written, post_ms, count / (time.perf_counter() - start)


async def _wait_for(
    markers: set[str], stream: StreamClient, mailbox: Path, timeout: float
) -> dict[str, float]:
    deadline = time.monotonic() + timeout
    mails: dict[str, float] = {}
    while time.monotonic() < deadline:
        mails = _mail_arrivals(mailbox)
        if markers <= set(mails) and markers <= set(stream.arrivals):
            break
        await asyncio.sleep(0.5)
    return mails


def _environment(
    ports: dict[str, int], smtp_port: int, namespace: str, databases: dict[str, str]
) -> dict[str, str]:
    env = {
        **os.environ,
        # Load from one address and few users: the edge's rate limits would refuse it.
        "GATEWAY_RATE_LIMIT_PER_USER": "0",
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "PORTAL_AMQP_URL": AMQP,
        "PORTAL_REDIS_URL": REDIS,
        "PORTAL_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
        "PORTAL_EVENT_NAMESPACE": namespace,
        "PORTAL_LOG_LEVEL": os.environ.get("PORTAL_LOG_LEVEL", "WARNING"),
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = databases[name]
        env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
    return env


async def _start(
    args: argparse.Namespace,
    env: dict[str, str],
    ports: dict[str, int],
    smtp_port: int,
    mailbox: Path,
    logs: Path,
    procs: dict[str, asyncio.subprocess.Process],
) -> None:
    """Migrate, then the SMTP server, the services, the gateway and the notify worker,
    each a process of its own (into `procs`, which the caller stops)."""
    cli = [sys.executable, "-m", "portal_ops.cli"]
    migrate = await asyncio.create_subprocess_exec(
        *cli, "migrate", *SERVICES, env=env, stdout=sys.stderr
    )
    assert await migrate.wait() == 0
    procs["smtp"] = await asyncio.create_subprocess_exec(
        sys.executable, str(SINK), str(smtp_port), str(mailbox), stdout=sys.stderr
    )
    for name, port in ports.items():
        with (logs / f"{name}.log").open("wb") as log:
            procs[name] = await asyncio.create_subprocess_exec(
                *cli, "serve", name, "--port", str(port), env=env, stdout=log, stderr=log
            )
    worker = ["worker", "notify", "--pool", args.pool, "--concurrency", str(args.workers)]
    with (logs / "worker.log").open("wb") as log:
        procs["worker"] = await asyncio.create_subprocess_exec(
            *cli, *worker, env=env, stdout=log, stderr=log
        )
    for name, port in ports.items():
        await _ready(port, procs[name])


async def _measure(
    args: argparse.Namespace, gateway: str, mailbox: Path
) -> tuple[dict[str, float], list[float], float, StreamClient, dict[str, float]]:
    """The customer's tickets, their event stream open, a warm-up, then the agent's
    replies at the asked rate: when each was written, the POST times, the rate reached,
    the stream and when each mail arrived."""
    limits = httpx.Limits(max_connections=200, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=gateway, timeout=60, limits=limits) as client:
        customer, agent = await _people(client)
        await asyncio.sleep(2)  # the people reach notify's directory
        numbers = []
        for i in range(args.tickets):
            r = await client.post(
                "/api/v1/tickets",
                json={"title": f"Benchmark ticket {i}", "priority": "P3"},
                headers=customer,
            )
            r.raise_for_status()
            numbers.append(r.json()["number"])
        stream = StreamClient(client, customer)
        listener = asyncio.create_task(stream.run())
        await asyncio.wait_for(stream.connected.wait(), timeout=30)

        warm, _, _ = await _replies(
            client, agent, numbers, prefix="bench-warm", count=50, rate=args.rate
        )
        await _wait_for(set(warm), stream, mailbox, timeout=60)

        written, post_ms, achieved = await _replies(
            client, agent, numbers, prefix="bench", count=args.replies, rate=args.rate
        )
        mails = await _wait_for(set(written), stream, mailbox, timeout=args.drain)
        listener.cancel()
    return written, post_ms, achieved, stream, mails


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    ports = {name: _port() for name in (*SERVICES, "gateway")}
    smtp_port = _port()
    workdir = TemporaryDirectory(prefix="notify-bench-")
    mailbox = Path(workdir.name) / "mail"
    databases = {name: await dbs.create(name) for name in SERVICES}
    env = _environment(ports, smtp_port, namespace, databases)
    procs: dict[str, asyncio.subprocess.Process] = {}
    try:
        logs = Path(args.logs) if args.logs else Path(workdir.name)
        await asyncio.to_thread(logs.mkdir, parents=True, exist_ok=True)
        await _start(args, env, ports, smtp_port, mailbox, logs, procs)
        gateway = f"http://127.0.0.1:{ports['gateway']}"
        written, post_ms, achieved, stream, mails = await _measure(args, gateway, mailbox)
        cpu = {name: _cpu_seconds(proc.pid) for name, proc in procs.items()}
    finally:
        for proc in procs.values():
            if proc.returncode is None:
                proc.terminate()
                await proc.wait()
        await dbs.drop_all()
        await delete_namespace(AMQP, namespace, ["identity", "tickets", "notify"])

    sse_ms = [(stream.arrivals[m] - t) * 1000 for m, t in written.items() if m in stream.arrivals]
    mail_ms = [(mails[m] - t) * 1000 for m, t in written.items() if m in mails]
    workdir.cleanup()
    print(
        json.dumps(
            {
                "benchmark": "notify_latency",
                "replies": args.replies,
                "rate_per_s": {"asked": args.rate, "achieved": round(achieved, 1)},
                "worker": {"pool": args.pool, "concurrency": args.workers},
                "reply_post_ms": {
                    "p50": round(_pct(post_ms, 0.5), 1),
                    "p99": round(_pct(post_ms, 0.99), 1),
                },
                "cpu_seconds": cpu,
                "sse": _stats(sse_ms, len(written)),
                "mail": _stats(mail_ms, len(written)),
                "targets": {"sse_p99_ms": 1000, "mail_p99_ms": 2000},
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replies", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=100.0, help="replies per second")
    parser.add_argument("--tickets", type=int, default=20)
    parser.add_argument("--pool", default="solo", help="Celery pool of the notify worker")
    parser.add_argument("--workers", type=int, default=1, help="Celery worker concurrency")
    parser.add_argument("--logs", help="keep the processes' logs in this directory")
    parser.add_argument("--drain", type=float, default=120.0, help="seconds to wait at the end")
    asyncio.run(main(parser.parse_args()))
