"""Ticket lists, full-text search and ticket creation over a million tickets.

* seed: 1,000,000 tickets with 5,000,000 articles, their status history and search
  documents over 1,000 organizations (10 customers each) and a service desk, written
  straight into the tickets database after `portal migrate tickets` with COPY by one
  worker process per core. Indexes and foreign keys are dropped for the load and rebuilt
  from their own definitions afterwards (checked to be identical): building a GIN index
  once is several times cheaper than maintaining it row by row. Then VACUUM (ANALYZE),
  the state autovacuum reaches after a bulk load anyway, and a CHECKPOINT, so that the
  measurements do not wait behind the load's writeback. Each phase is timed.
* services: identity, tickets and the gateway, each `portal serve` in its own process on
  its own PostgreSQL database, with RabbitMQ. The organization and the people the
  benchmark signs in as are created through identity's admin API; their ids own their
  share of the seeded tickets.
* measured through the gateway (httpx, HTTP/1.1 keep-alive), each after a warm-up:
  list pages (first, filtered, next via the cursor) and full-text search as a customer
  of an organization with ~1,000 tickets and as an agent over all of them, and the
  summary counters; a variant stops after two failed answers (the gateway's 504), and the
  queries the gateway abandoned are cancelled so that they do not slow the next ones.
  Then the list and search SQL the service issues, taken from its own code, under
  EXPLAIN ANALYZE; then ticket creation at a steady rate and at concurrency 8. Each
  measurement also reports the machine's CPU use and the CPU milliseconds per request
  spent in the gateway and tickets processes.

Prints one JSON summary (progress goes to stderr). Needs PostgreSQL and RabbitMQ
(PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL; defaults are the local servers).
`--tickets 20000 --articles 100000 --orgs 50` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx
from ticket_plans import explain
from tickets_corpus import ACTIONS, CODES, CUSTOMER, PLACES, PRODUCTS, SEARCHES, TITLES
from tickets_seed import DAY, SPAN, make_world, note, seed, text_of

from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
AMQP = os.environ.get("PORTAL_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/")
PASSWORD = "benchmark-admin-secret-1"
USER_PASSWORD = "Scale-bench-secret-42"


async def search_hits(dsn: str, org: str) -> dict[str, dict[str, int]]:
    """How many tickets each measured search matches (agent: notes too; customer: own org)."""
    public, notes = "s.fts_public", "s.fts_internal"  # the stored vectors the service uses
    conn = await asyncpg.connect(dsn)
    await conn.execute("SET work_mem = '256MB'")
    hits = {}
    for label, q in SEARCHES:
        if q.endswith("*"):
            query = f"to_tsquery('simple', '{q[:-1]}:*')"
        else:
            query = f"plainto_tsquery('german', '{q}') || plainto_tsquery('english', '{q}')"
        agent = await conn.fetchval(
            f"SELECT count(*) FROM ticket_search s "
            f"WHERE ({public}) @@ ({query}) OR ({notes}) @@ ({query})"
        )
        customer = await conn.fetchval(
            f"SELECT count(*) FROM ticket_search s JOIN ticket t ON t.id = s.ticket_id "
            f"WHERE t.organization_id = $1 AND ({public}) @@ ({query})",
            uuid.UUID(org),
        )
        hits[label] = {"agent": agent, "customer": customer}
    org_tickets = await conn.fetchval(
        "SELECT count(*) FROM ticket WHERE organization_id = $1", uuid.UUID(org)
    )
    await conn.close()
    return {"customer_org_tickets": org_tickets, "hits": hits}


# ---------------------------------------------------------------------------------------
# The services, as separate processes.
# ---------------------------------------------------------------------------------------


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CLI = [sys.executable, "-m", "portal_ops.cli"]


async def _run(args: list[str], env: dict[str, str], log: Path) -> None:
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(*CLI, *args, env=env, stdout=out, stderr=out)
        if await proc.wait() != 0:
            raise RuntimeError(f"`portal {' '.join(args)}` failed: {text_of(log)[-2000:]}")


async def _serve(name: str, port: int, env: dict[str, str], workdir: Path) -> Any:
    out = (workdir / f"{name}.log").open("ab")
    proc = await asyncio.create_subprocess_exec(
        *CLI, "serve", name, "--host", "127.0.0.1", "--port", str(port),
        env=env, stdout=out, stderr=out,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient() as probe:
        for _ in range(600):
            try:
                if (await probe.get(f"{base}/readyz")).status_code == 200:
                    return proc
            except httpx.TransportError:
                pass
            if proc.returncode is not None:
                break
            await asyncio.sleep(0.1)
    raise RuntimeError(f"{name} did not become ready: {text_of(workdir / f'{name}.log')[-3000:]}")


def service_env(
    urls: dict[str, str], ports: dict[str, int], namespace: str, workdir: Path
) -> dict[str, str]:
    """The environment of every service process (identity, tickets, the gateway)."""
    return {
        **os.environ,
        # Load from one address and few users: the edge's rate limits would refuse it.
        "GATEWAY_RATE_LIMIT_PER_USER": "0",
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
        "IDENTITY_DATABASE_URL": urls["identity"],
        "TICKETS_DATABASE_URL": urls["tickets"],
        "IDENTITY_URL": f"http://127.0.0.1:{ports['identity']}",
        "TICKETS_URL": f"http://127.0.0.1:{ports['tickets']}",
        "PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD,
        "PORTAL_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "PORTAL_AMQP_URL": AMQP,
        "PORTAL_EVENT_NAMESPACE": namespace,
        "PORTAL_DATA_DIR": str(workdir / "data"),
        "PORTAL_LOG_LEVEL": "WARNING",
        "IDENTITY_ACCESS_TOKEN_MINUTES": "240",
    }


async def migrate_and_start_identity(
    env: dict[str, str], ports: dict[str, int], workdir: Path, procs: list[Any]
) -> None:
    """Migrate both databases (to head: nothing to do on a kept one) and start identity."""
    log = workdir / "migrate.log"
    # Tickets first: its queue must exist before identity publishes its events.
    await _run(["migrate", "tickets"], env, log)
    await _run(["migrate", "identity"], env, log)
    procs.append(await _serve("identity", ports["identity"], env, workdir))


async def stop(procs: list[Any]) -> None:
    for proc in reversed(procs):
        if proc.returncode is None:
            proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), timeout=30)
            except TimeoutError:
                proc.kill()
                await proc.wait()


async def _login(client: httpx.AsyncClient, username: str, password: str) -> str:
    r = await client.post("/api/v1/auth/login", json={"username": username, "password": password})
    r.raise_for_status()
    return r.json()["access_token"]


async def create_people(base: str) -> dict[str, Any]:
    """The organization and the people the benchmark signs in as, made through identity."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        admin = {"Authorization": f"Bearer {await _login(client, 'admin', PASSWORD)}"}
        name = "Benchmark Maschinenbau GmbH"
        r = await client.post(
            "/api/v1/admin/organizations",
            json={"name": name, "priority_contract": True},
            headers=admin,
        )
        r.raise_for_status()
        org = r.json()["id"]
        real = {"org": org, "org_name": name}
        for role, username, display, org_id in (
            ("customer", "benchcustomer", "Bench Customer", org),
            ("agent", "benchagent", "Bench Agent", None),
        ):
            r = await client.post(
                "/api/v1/admin/users",
                json={
                    "username": username,
                    "email": f"{username}@example.com",
                    "organization_id": org_id,
                    "roles": [role],
                    "password": USER_PASSWORD,
                    "display_name": display,
                    "language": "de",
                },
                headers=admin,
            )
            r.raise_for_status()
            real[role] = r.json()["id"]
            real[f"{role}_username"], real[f"{role}_display"] = username, display
    return real


# ---------------------------------------------------------------------------------------
# Measurements through the gateway.
# ---------------------------------------------------------------------------------------


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] * 1000, 2)


def _cpu() -> tuple[int, int]:
    """(busy, total) CPU jiffies of the whole machine: was it saturated during a phase?"""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
    except OSError:
        return 0, 0
    return sum(fields) - fields[3] - fields[4], sum(fields)


def _busy(before: tuple[int, int]) -> float | None:
    after = _cpu()
    if after[1] <= before[1]:
        return None
    return round(100 * (after[0] - before[0]) / (after[1] - before[1]), 1)


class Probe:
    """Watches the machine, the service processes and the tickets database during a phase."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.pids: dict[str, int] = {}  # service name -> process id

    def _service_cpu(self) -> dict[str, float]:
        used = {}
        for name in ("gateway", "tickets"):
            try:
                stat = text_of(f"/proc/{self.pids[name]}/stat").rsplit(")", 1)[1].split()
            except (KeyError, OSError):
                continue
            used[name] = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        return used

    def start(self) -> tuple[tuple[int, int], dict[str, float]]:
        return _cpu(), self._service_cpu()

    def report(self, started: tuple[tuple[int, int], dict[str, float]], n: int) -> dict:
        """Machine CPU use, and CPU milliseconds per request in the gateway and the tickets
        process (the database's share is not included)."""
        machine, services = started
        after = self._service_cpu()
        return {
            "machine_cpu_pct": _busy(machine),
            "service_cpu_ms_per_request": {
                name: round((after[name] - used) * 1000 / max(n, 1), 2)
                for name, used in services.items()
            },
        }

    async def lock_waits(self, seconds: float) -> dict[str, float]:
        """The service's connections every 50 ms: how many are in a transaction (active or
        idle in transaction), and how many of those wait for a lock."""
        conn = await asyncpg.connect(self.dsn)
        samples, busy, waiting = 0, 0, 0
        deadline = time.perf_counter() + seconds
        try:
            while time.perf_counter() < deadline:
                row = await conn.fetchrow(
                    "SELECT count(*) FILTER (WHERE state <> 'idle') AS busy, "
                    "count(*) FILTER (WHERE wait_event_type = 'Lock') AS waiting "
                    "FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                )
                samples, busy, waiting = samples + 1, busy + row[0], waiting + row[1]
                await asyncio.sleep(0.05)
        finally:
            await conn.close()
        return {
            "in_transaction_avg": round(busy / max(samples, 1), 2),
            "waiting_for_lock_avg": round(waiting / max(samples, 1), 2),
        }

    async def cancel_abandoned(self, older_than: float = 20.0) -> int:
        """Cancel queries still running after the gateway gave up on their request: they
        would otherwise hold the CPUs during the next measurements."""
        conn = await asyncpg.connect(self.dsn)
        try:
            return await conn.fetchval(
                "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND backend_type = 'client backend' AND state = 'active' "
                "AND now() - query_start > make_interval(secs => $1)",
                older_than,
            )
        finally:
            await conn.close()


def _stats(lat: list[float]) -> dict[str, Any]:
    return {
        "n": len(lat),
        "p50_ms": _pct(lat, 0.5),
        "p95_ms": _pct(lat, 0.95),
        "p99_ms": _pct(lat, 0.99),
        "max_ms": round(max(lat) * 1000, 2),
    }


async def _get(client: httpx.AsyncClient, path: str) -> tuple[float, int, dict]:
    start = time.perf_counter()
    r = await client.get(path)
    elapsed = time.perf_counter() - start
    return elapsed, r.status_code, r.json() if r.status_code == 200 else {}


async def series(
    client: httpx.AsyncClient, path: str, probe: Probe, *, n: int, warmup: int, budget: float
) -> dict[str, Any]:
    """Sequential requests after a warm-up: at most `n`, at least 5, within `budget` s.
    Failed answers (the gateway's 504 after its 30 s upstream timeout) are counted; after
    two the variant stops, and the queries left running in the database are cancelled."""
    failed: dict[int, int] = {}
    cancelled = 0

    async def attempt() -> tuple[float, dict] | None:
        nonlocal cancelled
        elapsed, status, answer = await _get(client, path)
        if status == 200:
            return elapsed, answer
        failed[status] = failed.get(status, 0) + 1
        cancelled += await probe.cancel_abandoned()
        return None

    for _ in range(warmup):
        if await attempt() is None and sum(failed.values()) >= 2:
            break
    lat: list[float] = []
    body: dict = {}
    began, started = time.perf_counter(), probe.start()
    while len(lat) < n and sum(failed.values()) < 2:
        if len(lat) >= 5 and time.perf_counter() - began > budget:
            break
        if (done := await attempt()) is not None:
            lat.append(done[0])
            body = done[1]
    result: dict[str, Any] = _stats(lat) if lat else {"n": 0}
    result.update(probe.report(started, len(lat)))
    if failed:
        result["failed"] = failed
        result["queries_cancelled_after_gateway_timeout"] = cancelled
    if "items" in body:
        result["items"] = len(body["items"])
        result["next_cursor"] = body["next_cursor"] is not None
    return result


def list_paths(first_page: dict[str, str]) -> dict[str, str]:
    base = "/api/v1/tickets?scope=organization&limit=25"
    return {"first_page": base, "open_p1": f"{base}&state=open&priority=P1", **first_page}


async def measure_reads(
    clients: dict[str, httpx.AsyncClient], probe: Probe, quick: bool
) -> dict[str, Any]:
    n_list, n_search = (60, 30) if quick else (200, 100)
    results: dict[str, Any] = {"list": {}, "search": {}, "summary": {}}
    paths: dict[str, dict[str, str]] = {}
    for role, client in clients.items():
        base = "/api/v1/tickets?scope=organization&limit=25"
        _, _, page = await _get(client, base)
        cursor = page.get("next_cursor")
        second = {"next_page": f"{base}&cursor={cursor}"} if cursor else {}
        paths[role] = list_paths(second)
        for label, path in paths[role].items():
            note(f"list {role} {label}")
            results["list"].setdefault(role, {})[label] = await series(
                client, path, probe, n=n_list, warmup=20, budget=30
            )
        for label, q in SEARCHES:
            note(f"search {role} {label} ({q})")
            path = f"/api/v1/tickets?scope=organization&limit=25&q={q}"
            paths[role][f"search_{label}"] = path
            results["search"].setdefault(role, {})[label] = await series(
                client, path, probe, n=n_search, warmup=3, budget=40
            )
        note(f"summary {role}")
        results["summary"][role] = await series(
            client,
            "/api/v1/tickets/summary?scope=organization",
            probe,
            n=n_search,
            warmup=3,
            budget=30,
        )
    results["_paths"] = paths
    return results


def _ticket_body(rng: random.Random) -> dict[str, str]:
    lang = rng.choice(("de", "en"))
    product = rng.choice(PRODUCTS)[0]
    return {
        "title": rng.choice(TITLES[lang]).format(p=product, c=rng.choice(CODES)),
        "description": rng.choice(CUSTOMER[lang]).format(
            p=product, c=rng.choice(CODES), a=rng.choice(ACTIONS[lang]), place=PLACES[lang][0]
        ),
        "priority": rng.choice(("P1", "P2", "P3", "P4")),
    }


async def _create(client: httpx.AsyncClient, rng: random.Random) -> float:
    start = time.perf_counter()
    r = await client.post("/api/v1/tickets", json=_ticket_body(rng))
    elapsed = time.perf_counter() - start
    if r.status_code != 201:
        raise RuntimeError(f"ticket creation answered {r.status_code}: {r.text[:500]}")
    return elapsed


async def measure_creation(
    client: httpx.AsyncClient, probe: Probe, rate: float, seconds: float, concurrent: float
) -> dict[str, Any]:
    rng = random.Random(7)
    for _ in range(30):
        await _create(client, rng)
    note(f"creating tickets at {rate}/s for {seconds} s")
    steady: list[float] = []
    when: list[tuple[float, float]] = []  # (seconds into the run, latency)

    async def one(at: float) -> None:
        steady.append(await _create(client, rng))
        when.append((at, steady[-1]))

    async def paced() -> float:
        tasks = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            tasks.append(asyncio.create_task(one(i / rate)))
        await asyncio.gather(*tasks)
        return time.perf_counter() - began

    started = probe.start()
    elapsed, waits = await asyncio.gather(paced(), probe.lock_waits(seconds))
    result: dict[str, Any] = {
        "steady": {
            "target_per_s": rate,
            "achieved_per_s": round(len(steady) / elapsed, 1),
            **_stats(steady),
            "over_100ms": sum(1 for t in steady if t > 0.1),
            "slowest_at_s": [
                [round(at, 2), round(t * 1000)] for at, t in sorted(when, key=lambda w: -w[1])[:5]
            ],
            **probe.report(started, len(steady)),
            "database": waits,
        }
    }
    note(f"creating tickets at concurrency 8 for {concurrent} s")
    burst: list[float] = []

    async def worker(deadline: float) -> None:
        while time.perf_counter() < deadline:
            burst.append(await _create(client, rng))

    began, started = time.perf_counter(), probe.start()
    _, waits = await asyncio.gather(
        asyncio.gather(*(worker(began + concurrent) for _ in range(8))),
        probe.lock_waits(concurrent),
    )
    result["concurrency_8"] = {
        "tickets_per_s": round(len(burst) / (time.perf_counter() - began), 1),
        **_stats(burst),
        **probe.report(started, len(burst)),
        "database": waits,
    }
    return result


# ---------------------------------------------------------------------------------------


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:8]}"
    procs: list[Any] = []
    summary: dict[str, Any] = {"benchmark": "tickets_scale", "cpus": os.cpu_count()}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            urls = {name: await dbs.create(name) for name in ("identity", "tickets")}
            ports = {name: _port() for name in ("identity", "tickets", "gateway")}
            gateway = f"http://127.0.0.1:{ports['gateway']}"
            env = service_env(urls, ports, namespace, workdir)
            await migrate_and_start_identity(env, ports, workdir, procs)
            real = await create_people(env["IDENTITY_URL"])
            dsn = urls["tickets"].replace("postgresql+asyncpg://", "postgresql://")
            world = make_world(args, real, dsn)
            summary["scale"] = {
                "tickets": args.tickets,
                "articles_target": args.articles,
                "organizations": args.orgs,
                "customers_per_org": args.users_per_org,
                "agents": args.agents,
                "created_at_span_days": SPAN / DAY,
            }
            summary["seed"] = await seed(dsn, world, real, workdir)
            summary["search_terms"] = {
                "queries": dict(SEARCHES),
                **await search_hits(dsn, real["org"]),
            }
            probe = Probe(dsn)
            for name in ("tickets", "gateway"):
                procs.append(await _serve(name, ports[name], env, workdir))
                probe.pids[name] = procs[-1].pid
            clients = {}
            async with httpx.AsyncClient(base_url=gateway, timeout=120) as anonymous:
                for role in ("customer", "agent"):
                    token = await _login(anonymous, real[f"{role}_username"], USER_PASSWORD)
                    clients[role] = httpx.AsyncClient(
                        base_url=gateway,
                        timeout=120,
                        headers={"Authorization": f"Bearer {token}"},
                    )
            try:
                reads = await measure_reads(clients, probe, quick=args.tickets < 100_000)
                paths = reads.pop("_paths")
                summary.update(reads)
                # Before creating tickets, so that the plans are those of the data measured.
                note("EXPLAIN ANALYZE of the list and search SQL")
                try:
                    summary["explain"] = await explain(urls["tickets"], real, paths)
                except Exception as exc:  # optional: the service's internals may have moved
                    summary["explain"] = {"unavailable": f"{type(exc).__name__}: {exc}"}
                summary["create"] = await measure_creation(
                    clients["customer"], probe, args.rate, args.seconds, args.concurrent_seconds
                )
            finally:
                for client in clients.values():
                    await client.aclose()
            # The speed work's targets at 1M tickets / 5M articles (creation: at 50/s).
            summary["targets"] = {"list_p95_ms": 15, "search_p95_ms": 60, "create_p99_ms": 50}
            if args.keep:
                summary["kept_databases"] = urls
        finally:
            await stop(procs)
            if not args.keep:
                await dbs.drop_all()
            try:
                await delete_namespace(AMQP, namespace, ["tickets"])
            except Exception as exc:  # the broker is not essential to the cleanup
                note(f"could not delete the broker namespace {namespace}: {exc}")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, default=5_000_000)
    parser.add_argument("--orgs", type=int, default=1_000)
    parser.add_argument("--users-per-org", type=int, default=10)
    parser.add_argument("--agents", type=int, default=25, help="service desk, incl. the measured")
    parser.add_argument("--rate", type=float, default=50.0, help="steady creations per second")
    parser.add_argument("--seconds", type=float, default=20.0, help="of steady creation")
    parser.add_argument("--concurrent-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", action="store_true", help="keep the databases")
    asyncio.run(main(parser.parse_args()))
