"""E-mail intake: inbound replies per second, and the time from a mail's acceptance by
the portal's SMTP receiver to the message visible in its ticket.

* system: identity, tickets and the gateway, each `portal serve` in its own process
  (distributed mode) on its own PostgreSQL database, with RabbitMQ and Redis, and the
  tickets worker (`portal worker tickets --pool solo`) running the SMTP receiver
  (`PORTAL_INBOUND_SMTP_URL`). Fresh databases, broker namespace and rate-limit keys per
  run; rate limits at the gateway are off (one address, few users).
* people: through identity's admin API an organization, an agent and enough customers
  that none sends more than 22 mails (the intake suppresses a sender past 30 an hour),
  each with two tickets. The tickets' directory must know the customers' addresses
  before a mail can be theirs; the benchmark waits for that in the tickets database.
* load: a reply to each ticket's signed reply address (`portal_chassis.reply_address`)
  from its customer first, as warm-up; then `--mails` replies at a steady `--rate`
  (aiosmtplib, `--connections` SMTP sessions taking the mails off one schedule), spread
  over the tickets. Each body carries a unique marker above a quoted earlier message.
* measured: a mail is received when the receiver answers 250 to its DATA; it is visible
  when an agent's `GET /api/v1/tickets/{number}/articles` through the gateway returns
  it (tickets with outstanding markers are polled every `--poll` seconds, so visibility
  is late by up to one poll and one request). Reported: accepted-to-visible p50/p99/max
  (the target: p99 < 2 s and no mail lost), the SMTP transaction itself and send-to-
  visible; the rate asked, the rate the receiver accepted and the rate mails became
  visible; how far sends fell behind the schedule; mails refused, lost (accepted but
  never shown) and duplicated (one marker in two messages, by a final read of every
  ticket); the intake's own counters from the worker's metrics; the CPU seconds each
  process spent during the measured phase; the machine's cores and load.

The receiver answers 250 only once the mail's message is committed, so the SMTP
transaction holds the intake's processing time; accepted-to-visible is what a sender
waits after its mail server was told the mail is taken.

Prints one JSON summary; progress goes to stderr; the processes' logs stay in `--logs`
(a new temporary directory by default). Needs PostgreSQL, RabbitMQ and Redis
(PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL, PORTAL_TEST_REDIS_URL; defaults are the
local servers). `--smoke` is a quick run (20 mails at 10/s).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import re
import secrets
import socket
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from typing import Any

import aiosmtplib
import asyncpg  # type: ignore[import-untyped]
import httpx
from prometheus_client.parser import text_string_to_metric_families
from redis.asyncio import Redis

from portal_chassis.reply_address import ReplyTarget, reply_address
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "benchmark-admin-secret-1"
USER_PASSWORD = "benchmark-user-secret-2"
SUPPORT = "support@portal.test"
SERVICES = ("identity", "tickets")
SERVED = (*SERVICES, "gateway")
# The intake suppresses a sender past 30 mails an hour: stay well below it.
MAILS_PER_CUSTOMER = 20
TICKETS_PER_CUSTOMER = 2
MARKER = re.compile(r"mail(?:bench|warm)-\d{6}")
TARGET_P99_MS = 2000.0
STOP_SECONDS = 20.0
BEGAN = time.perf_counter()


def say(message: str) -> None:
    print(f"[{time.perf_counter() - BEGAN:6.1f}s] {message}", file=sys.stderr, flush=True)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _stats_ms(seconds: list[float]) -> dict[str, float] | None:
    if not seconds:
        return None
    return {
        "p50": round(_pct(seconds, 0.50) * 1000, 1),
        "p99": round(_pct(seconds, 0.99) * 1000, 1),
        "max": round(max(seconds) * 1000, 1),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a live process (its own, not its children's)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cpu_all(procs: dict[str, asyncio.subprocess.Process]) -> dict[str, float]:
    found = {name: _cpu_seconds(p.pid) for name, p in procs.items() if p.returncode is None}
    own = os.times()
    found["benchmark"] = own.user + own.system
    return found


# --- the system ---------------------------------------------------------------------


@dataclass
class System:
    """The running processes, their settings and where they answer."""

    env: dict[str, str]
    ports: dict[str, int]
    smtp_port: int
    metrics_port: int
    logs: Path
    procs: dict[str, asyncio.subprocess.Process]

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    @property
    def tickets_dsn(self) -> str:
        return self.env["TICKETS_DATABASE_URL"].replace("postgresql+asyncpg://", "postgresql://")


async def _environment(dbs: PostgresDatabases, namespace: str, logs: Path) -> System:
    ports = {name: _port() for name in SERVED}
    env = {
        **os.environ,
        "GATEWAY_RATE_LIMIT_PER_USER": "0",
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "PORTAL_AMQP_URL": AMQP,
        "PORTAL_REDIS_URL": REDIS,
        "PORTAL_EVENT_NAMESPACE": namespace,
        "PORTAL_SUPPORT_ADDRESS": SUPPORT,
        "PORTAL_MAIL_SIGNING_KEYS": secrets.token_urlsafe(24),
        "PORTAL_LOG_LEVEL": os.environ.get("PORTAL_LOG_LEVEL", "WARNING"),
    }
    for name in SERVICES:
        env[f"{name.upper()}_DATABASE_URL"] = await dbs.create(name)
        env[f"{name.upper()}_URL"] = f"http://127.0.0.1:{ports[name]}"
    return System(env, ports, _port(), _port(), logs, {})


async def _ready(port: int, proc: asyncio.subprocess.Process) -> None:
    async with httpx.AsyncClient() as probe:
        for _ in range(600):
            if proc.returncode is not None:
                raise RuntimeError(f"the process on port {port} exited")
            with contextlib.suppress(httpx.TransportError):
                if (await probe.get(f"http://127.0.0.1:{port}/readyz")).status_code == 200:
                    return
            await asyncio.sleep(0.1)
    raise TimeoutError(f"port {port} not ready")


async def _listening(port: int, proc: asyncio.subprocess.Process) -> None:
    """Until the worker's SMTP receiver takes connections (it starts once the worker is)."""
    for _ in range(600):
        if proc.returncode is not None:
            raise RuntimeError("the tickets worker exited")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        return
    raise TimeoutError(f"no SMTP receiver on port {port}")


async def _start(system: System) -> None:
    cli = [sys.executable, "-m", "portal_ops.cli"]
    env = system.env
    with (system.logs / "migrate.log").open("wb") as log:
        migrate = await asyncio.create_subprocess_exec(
            *cli, "migrate", *SERVICES, env=env, stdout=log, stderr=log
        )
        if await migrate.wait() != 0:
            raise RuntimeError(f"migration failed, see {system.logs / 'migrate.log'}")
    for name, port in system.ports.items():
        with (system.logs / f"{name}.log").open("wb") as log:
            system.procs[name] = await asyncio.create_subprocess_exec(
                *cli, "serve", name, "--port", str(port), env=env, stdout=log, stderr=log
            )
    worker_env = {
        **env,
        "PORTAL_INBOUND_SMTP_URL": f"smtp://127.0.0.1:{system.smtp_port}",
        # A port of its own: another worker on this host may hold the default one.
        "PORTAL_WORKER_METRICS_PORT": str(system.metrics_port),
    }
    with (system.logs / "worker.log").open("wb") as log:
        system.procs["worker"] = await asyncio.create_subprocess_exec(
            *cli, "worker", "tickets", "--pool", "solo", env=worker_env, stdout=log, stderr=log
        )
    for name, port in system.ports.items():
        await _ready(port, system.procs[name])
    await _listening(system.smtp_port, system.procs["worker"])


async def _stop(procs: dict[str, asyncio.subprocess.Process]) -> None:
    """SIGTERM to all, then at most STOP_SECONDS each before SIGKILL."""
    running = [p for p in procs.values() if p.returncode is None]
    for proc in running:
        proc.terminate()
    for proc in running:
        try:
            await asyncio.wait_for(proc.wait(), STOP_SECONDS)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def _forget_rate_limits(namespace: str) -> None:
    redis = Redis.from_url(REDIS)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{namespace}:*")]
        if keys:
            await redis.delete(*keys)
    finally:
        await redis.aclose()


# --- people and tickets -------------------------------------------------------------


@dataclass(frozen=True)
class Ticket:
    number: str
    customer_id: uuid.UUID
    customer_email: str
    reply_to: str


async def _login(client: httpx.AsyncClient, username: str, password: str) -> dict[str, str]:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def _user(
    client: httpx.AsyncClient, admin: dict[str, str], username: str, role: str, org: str | None
) -> dict[str, Any]:
    r = await client.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "email": f"{username}@example.com",
            "roles": [role],
            "organization_id": org,
            "password": USER_PASSWORD,
        },
        headers=admin,
    )
    r.raise_for_status()
    return dict(r.json())


async def _people(
    client: httpx.AsyncClient, customers: int
) -> tuple[dict[str, str], list[dict[str, Any]]]:
    """The agent's headers, and the customers (as the admin API returned them)."""
    admin = await _login(client, "admin", PASSWORD)
    org = await client.post(
        "/api/v1/admin/organizations", json={"name": "Mail Bench Ltd"}, headers=admin
    )
    org.raise_for_status()
    people = [
        await _user(client, admin, f"mailcustomer{i:03d}", "customer", org.json()["id"])
        for i in range(customers)
    ]
    await _user(client, admin, "mailagent", "agent", None)
    return await _login(client, "mailagent", USER_PASSWORD), people


async def _tickets(
    client: httpx.AsyncClient, people: list[dict[str, Any]], keys: list[str]
) -> list[Ticket]:
    found = []
    for person in people:
        headers = await _login(client, person["username"], USER_PASSWORD)
        for n in range(TICKETS_PER_CUSTOMER):
            r = await client.post(
                "/api/v1/tickets",
                json={"title": f"Printer problem {n} of {person['username']}", "priority": "P3"},
                headers=headers,
            )
            r.raise_for_status()
            number, user_id = r.json()["number"], uuid.UUID(person["id"])
            to = reply_address(SUPPORT, ReplyTarget(number, user_id), keys)
            found.append(Ticket(number, user_id, person["email"], to))
    return found


async def _directory_knows(dsn: str, emails: list[str], timeout: float = 60.0) -> None:
    """Until the tickets' directory holds every customer's address (from identity's events)."""
    deadline = time.monotonic() + timeout
    connection = await asyncpg.connect(dsn)
    try:
        while time.monotonic() < deadline:
            known = await connection.fetchval(
                "SELECT count(DISTINCT lower(email)) FROM directory_user"
                " WHERE active AND lower(email) = ANY($1)",
                [e.lower() for e in emails],
            )
            if known == len(set(emails)):
                return
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    raise TimeoutError("the tickets directory never learnt the customers' addresses")


# --- sending ------------------------------------------------------------------------


@dataclass
class Sent:
    marker: str
    ticket: Ticket
    message: EmailMessage
    scheduled: float = 0.0
    started: float | None = None
    accepted: float | None = None
    error: str | None = None


def _mail(ticket: Ticket, marker: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = ticket.customer_email
    msg["To"] = ticket.reply_to
    msg["Subject"] = f"Re: [{ticket.number}] Printer problem"
    msg["Date"] = formatdate()
    msg["Message-ID"] = make_msgid(domain="mail.example.com")
    msg.set_content(
        f"It happened again this morning, reference {marker}.\n\n"
        "Regards\n\n"
        "On Mon, 3 Mar 2025 at 09:12, Support <support@portal.test> wrote:\n"
        "> Could you tell us when the printer stops?\n"
    )
    return msg


async def _session(
    port: int, queue: asyncio.Queue[Sent | None], accepted: Callable[[Sent], None]
) -> None:
    """One SMTP connection sending the mails it takes off the queue, until None."""
    smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=60)
    await smtp.connect()
    try:
        while (sent := await queue.get()) is not None:
            sent.started = time.monotonic()
            try:
                await smtp.send_message(sent.message)
            except aiosmtplib.SMTPResponseException as exc:
                sent.error = str(exc.code)
                continue
            except aiosmtplib.SMTPException as exc:
                sent.error = type(exc).__name__
                smtp.close()  # a broken session: the next mail gets a new one
                await smtp.connect()
                continue
            sent.accepted = time.monotonic()
            accepted(sent)
    finally:
        with contextlib.suppress(aiosmtplib.SMTPException):
            await smtp.quit()


async def _send(
    port: int, mails: list[Sent], rate: float, connections: int, accepted: Callable[[Sent], None]
) -> None:
    """Offer the mails at `rate` per second to `connections` sessions."""
    queue: asyncio.Queue[Sent | None] = asyncio.Queue()
    sessions = [asyncio.create_task(_session(port, queue, accepted)) for _ in range(connections)]
    start = time.monotonic()
    for i, sent in enumerate(mails):
        sent.scheduled = start + i / rate
        delay = sent.scheduled - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        queue.put_nowait(sent)
    for _ in sessions:
        queue.put_nowait(None)
    await asyncio.gather(*sessions)


# --- watching -----------------------------------------------------------------------


def _markers(page: dict[str, Any]) -> list[str]:
    return [m for article in page["items"] for m in MARKER.findall(article["body"])]


class Watcher:
    """The agent reading the threads: polls the tickets that have accepted mails not yet
    shown, and keeps when each marker first appeared."""

    def __init__(self, client: httpx.AsyncClient, headers: dict[str, str], poll: float) -> None:
        self.client = client
        self.headers = headers
        self.poll = poll
        self.expected: dict[str, str] = {}  # marker -> ticket number
        self.seen: dict[str, float] = {}
        self.requests = 0
        self.errors = 0

    def expect(self, sent: Sent) -> None:
        self.expected[sent.marker] = sent.ticket.number

    def outstanding(self) -> set[str]:
        return {n for m, n in self.expected.items() if m not in self.seen}

    async def _look(self, number: str) -> None:
        self.requests += 1
        try:
            r = await self.client.get(f"/api/v1/tickets/{number}/articles", headers=self.headers)
        except httpx.HTTPError:
            self.errors += 1  # the next poll asks again
            return
        now = time.monotonic()
        if r.status_code != 200:
            self.errors += 1
            return
        for marker in _markers(r.json()):
            if marker in self.expected:
                self.seen.setdefault(marker, now)

    async def run(self) -> None:
        while True:
            numbers = self.outstanding()
            if numbers:
                await asyncio.gather(*(self._look(n) for n in numbers))
            await asyncio.sleep(self.poll)

    async def settle(self, timeout: float) -> None:
        """Until every accepted mail is shown, at most `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while self.outstanding() and time.monotonic() < deadline:
            await asyncio.sleep(0.1)


async def _copies(
    client: httpx.AsyncClient, headers: dict[str, str], tickets: list[Ticket]
) -> Counter[str]:
    """How many messages carry each marker, over every ticket."""
    found: Counter[str] = Counter()
    for ticket in tickets:
        r = await client.get(f"/api/v1/tickets/{ticket.number}/articles", headers=headers)
        r.raise_for_status()
        found.update(_markers(r.json()))
    return found


async def _worker_metrics(port: int) -> dict[str, Any]:
    """The intake's counters as the worker serves them."""
    async with httpx.AsyncClient() as probe:
        text = (await probe.get(f"http://127.0.0.1:{port}/metrics")).text
    outcomes: Counter[str] = Counter()
    errors = count = total = 0.0
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name == "portal_inbound_mails_total":
                reason = s.labels["reason"]
                outcomes[s.labels["outcome"] + (f":{reason}" if reason else "")] += int(s.value)
            elif s.name == "portal_inbound_errors_total":
                errors += s.value
            elif s.name == "portal_inbound_processing_seconds_count":
                count = s.value
            elif s.name == "portal_inbound_processing_seconds_sum":
                total = s.value
    return {
        "outcomes": dict(outcomes),
        "errors": int(errors),
        "processing_mean_ms": round(total / count * 1000, 1) if count else None,
    }


# --- the run ------------------------------------------------------------------------


async def _round(
    system: System, watcher: Watcher, mails: list[Sent], args: argparse.Namespace
) -> None:
    await _send(system.smtp_port, mails, args.rate, args.connections, watcher.expect)
    accepted = sum(1 for s in mails if s.accepted is not None)
    say(f"{accepted} of {len(mails)} accepted; waiting for them to show")
    await watcher.settle(args.drain)


async def _measure(system: System, args: argparse.Namespace) -> dict[str, Any]:
    customers = max(2, math.ceil(args.mails / MAILS_PER_CUSTOMER))
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx.AsyncClient(base_url=system.gateway, timeout=30, limits=limits) as client:
        say(f"creating {customers} customers and {customers * TICKETS_PER_CUSTOMER} tickets")
        agent, people = await _people(client, customers)
        keys = [system.env["PORTAL_MAIL_SIGNING_KEYS"]]
        tickets = await _tickets(client, people, keys)
        await _directory_knows(system.tickets_dsn, [t.customer_email for t in tickets])
        watcher = Watcher(client, agent, args.poll)
        polling = asyncio.create_task(watcher.run())
        try:
            warm = [
                Sent(f"mailwarm-{i:06d}", t, _mail(t, f"mailwarm-{i:06d}"))
                for i, t in enumerate(tickets)
            ]
            say(f"warm-up: {len(warm)} mails")
            await _round(system, watcher, warm, args)
            if not watcher.seen:
                raise RuntimeError(f"no warm-up mail became a message; see {system.logs}")
            mails = [
                Sent(m, t, _mail(t, m))
                for i in range(args.mails)
                for m, t in [(f"mailbench-{i:06d}", tickets[i % len(tickets)])]
            ]
            say(f"measuring {args.mails} mails at {args.rate}/s")
            watcher.requests = watcher.errors = 0  # count the measured phase's reads only
            cpu_before, load_before = _cpu_all(system.procs), os.getloadavg()
            await _round(system, watcher, mails, args)
            cpu_after = _cpu_all(system.procs)
        finally:
            polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
        copies = await _copies(client, agent, tickets)
    result = _summary(mails, watcher, copies, args)
    result["setup"] = {"customers": customers, "tickets": len(tickets)}
    result["worker"] = await _worker_metrics(system.metrics_port)
    result["cpu_seconds"] = {k: round(cpu_after[k] - cpu_before[k], 2) for k in cpu_after}
    result["machine"] = {
        "cores": os.cpu_count(),
        "loadavg_1m_before": round(load_before[0], 2),
        "loadavg_1m_after": round(os.getloadavg()[0], 2),
    }
    return result


def _summary(
    mails: list[Sent], watcher: Watcher, copies: Counter[str], args: argparse.Namespace
) -> dict[str, Any]:
    accepted = [s for s in mails if s.accepted is not None]
    shown = [s for s in accepted if s.marker in watcher.seen]
    visible_s = [watcher.seen[s.marker] - s.accepted for s in shown if s.accepted is not None]
    first = min((s.started for s in mails if s.started is not None), default=0.0)
    last_accept = max((s.accepted for s in accepted if s.accepted is not None), default=first)
    last_seen = max((watcher.seen[s.marker] for s in shown), default=first)
    lost = sum(1 for s in accepted if copies[s.marker] == 0)
    p99 = _pct(visible_s, 0.99) * 1000 if visible_s else None
    return {
        "mails": {
            "sent": len(mails),
            "accepted": len(accepted),
            "refused": dict(Counter(s.error for s in mails if s.error is not None)),
            "visible": sum(1 for s in accepted if copies[s.marker] > 0),
            "lost": lost,
            "duplicates": sum(copies[s.marker] - 1 for s in accepted if copies[s.marker] > 1),
        },
        "rate_per_s": {
            "asked": args.rate,
            "accepted": round(len(accepted) / (last_accept - first), 1) if accepted else 0,
            "processed": round(len(shown) / (last_seen - first), 1) if shown else 0,
        },
        "accepted_to_visible_ms": _stats_ms(visible_s),
        "smtp_transaction_ms": _stats_ms(
            [s.accepted - s.started for s in accepted if s.started and s.accepted]
        ),
        "sent_to_visible_ms": _stats_ms(
            [watcher.seen[s.marker] - s.started for s in shown if s.started]
        ),
        "behind_schedule_ms": _stats_ms(
            [s.started - s.scheduled for s in mails if s.started is not None]
        ),
        "polls": {"interval_s": args.poll, "requests": watcher.requests, "errors": watcher.errors},
        "target": {"accepted_to_visible_p99_ms": TARGET_P99_MS, "lost": 0},
        "target_met": p99 is not None
        and p99 < TARGET_P99_MS
        and lost == 0
        and len(accepted) == len(mails),
    }


async def main(args: argparse.Namespace, logs: Path) -> None:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:10]}"
    system: System | None = None
    say(f"starting the services ({namespace}, logs in {logs})")
    try:
        system = await _environment(dbs, namespace, logs)
        await _start(system)
        result = await _measure(system, args)
    finally:
        if system is not None:
            await _stop(system.procs)
        await dbs.drop_all()
        await delete_namespace(AMQP, namespace, list(SERVICES))
        await _forget_rate_limits(namespace)
    say(f"process logs kept in {logs}")
    summary = {
        "benchmark": "mail_intake",
        "mode": "distributed",
        "path": "SMTP 250 from the tickets worker's receiver -> GET articles via the gateway",
        "mails_asked": args.mails,
        "smtp_connections": args.connections,
        **result,
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--mails", type=int, default=400, help="measured mails")
    parser.add_argument("--rate", type=float, default=20.0, help="mails offered per second")
    parser.add_argument("--connections", type=int, default=4, help="SMTP sessions sending")
    parser.add_argument("--poll", type=float, default=0.1, help="seconds between reads")
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait at the end")
    parser.add_argument("--smoke", action="store_true", help="a quick run: 20 mails at 10/s")
    parser.add_argument("--logs", help="directory for the processes' logs (kept)")
    arguments = parser.parse_args()
    if arguments.smoke:
        arguments.mails, arguments.rate = 20, 10.0
    logs = Path(arguments.logs or tempfile.mkdtemp(prefix="mail_intake-"))
    logs.mkdir(parents=True, exist_ok=True)
    asyncio.run(main(arguments, logs))
