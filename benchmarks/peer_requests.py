"""The five requests a help desk serves most, measured the way a peer help desk (Request
Tracker 5) was measured on the same machine type, so that the two can be set side by side.

* services: identity, tickets and the gateway, each `portal serve` in its own process on
  PostgreSQL and RabbitMQ, as `tickets_scale.py` starts them; the gateway counts its rate
  limits in Redis as in production (limits raised so the load is not refused, as in
  `gateway_overhead.py`). `--seed` tickets (default 1,000) are created through the API by
  a customer of an organization with a priority contract; each title carries one of 20
  keywords (`kw00` … `kw19`), so a search for one matches about a twentieth of them.
* cells, each at every `--concurrency` (default 1 and 8), `--runs` times (default 2, the
  median reported), each run `--seconds` long (default 10), through the gateway and
  straight to the tickets service (the same bearer token; the service checks it itself):
  create (`POST /api/v1/tickets`), comment (`POST /api/v1/tickets/{number}/articles`),
  fetch (`GET /api/v1/tickets/{number}`), search (`GET /api/v1/tickets?q=kwNN&limit=20`)
  and list (`GET /api/v1/tickets?limit=20&sort=-created`, the newest page of 20); the
  tickets are picked at random among the seeded ones. Each run reports requests/s,
  p50/p95/p99, errors (answers other than 2xx, and socket errors), the CPU milliseconds
  per request of the gateway, tickets and identity processes and of the whole PostgreSQL
  server (other clients of it included), the machine's CPU use and the load generator's
  own CPU share.
* load generator: `wrk` (one thread, c connections) with a Lua script of the benchmark's
  own that sets the token, the method and body, picks the ticket or keyword and prints
  its counts and latency percentiles as JSON.
* ceilings, measured in the same run: a bare FastAPI app served as `portal serve` serves
  (one uvicorn worker, `portal_ops.serving`) at concurrency 8, and single-row inserts of
  ~500 bytes with `pgbench` (8 clients, 2 threads) into a table in a scratch database
  (an ordinary logged table: a temporary one would skip the write-ahead log that every
  write of the services waits for), and the same bare app reading one of those rows by
  primary key through SQLAlchemy's async ORM (a session per request, asyncpg, a pool of
  8): what one statement costs on the services' own stack. Each cell's rate is also
  given as a share of the hello ceiling, the writes also of the insert ceiling, the
  reads also of the ORM read ceiling.
* statistics: before each read cell the tickets database is analyzed (`ANALYZE`), as
  autovacuum does on a production server within a minute of the write cells' thousands of
  new tickets; the JSON names the server's own `autovacuum` setting.
* events: a queue of the benchmark's own, bound to the services' exchange before the
  first write, receives every `tickets.ticket.created` and `tickets.article.added`; at
  the end, once the outbox has drained, each event the tickets service committed must
  have arrived exactly once (by the envelope's id).

Prints one JSON document (progress goes to stderr). Needs PostgreSQL, RabbitMQ and Redis
(PORTAL_TEST_POSTGRES_URL, PORTAL_TEST_AMQP_URL, PORTAL_TEST_REDIS_URL; defaults are the
local servers), `wrk` and `pgbench`. `--seed 40 --seconds 1 --runs 1 --concurrency 2` is
a smoke run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import asyncpg
import httpx
from tickets_scale import (
    AMQP,
    PG,
    USER_PASSWORD,
    _login,
    _port,
    _serve,
    _ticket_body,
    create_people,
    migrate_and_start_identity,
    service_env,
    stop,
)
from tickets_seed import note, text_of
from wrk_load import Cell, Meter, lua_script, process_cpu, run_wrk, wrk_version

from portal_chassis.testing.event_tap import EventTap
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
KEYWORDS = [f"kw{i:02d}" for i in range(20)]
THROUGH = ("gateway", "direct")
EVENTS = {"create": "tickets.ticket.created", "comment": "tickets.article.added"}
CEILING_CONCURRENCY = 8

# The peer, measured earlier and separately (its own benchmark drives it; not this one).
PEER = {
    "system": "Request Tracker 5",
    "measured": "earlier, separately, on the same machine type (2 cores), same workload: "
    "1,000 seeded tickets, concurrency 1 and 8, median of 2 runs",
    "req_per_s_c8": {"create": 6.5, "comment": 13.5, "fetch": 55.5, "search": 88.0, "list": 86.2},
}


CELLS = {
    "create": Cell(
        "POST",
        "/api/v1/tickets",
        body={
            "title": "Drucker im Lager druckt nicht / printer in the warehouse not printing",
            "description": "Seit heute Morgen keine Ausdrucke. No printouts since this morning.",
            "priority": "P2",
        },
    ),
    "comment": Cell(
        "POST",
        "/api/v1/tickets/",
        "/articles",
        pick="ticket",
        body={"body": "Gibt es Neuigkeiten? Any news on this?"},
    ),
    "fetch": Cell("GET", "/api/v1/tickets/", pick="ticket"),
    "search": Cell("GET", "/api/v1/tickets?limit=20&q=", pick="keyword"),
    "list": Cell("GET", "/api/v1/tickets?limit=20&sort=-created"),
}

# ---------------------------------------------------------------------------------------
# Events: a queue of our own on the services' exchange (portal_chassis.testing.event_tap).
# ---------------------------------------------------------------------------------------


async def events_delivered(
    tap: EventTap, dsn: str, answered: int, timeout: float = 120
) -> dict[str, Any]:
    """Wait until the outbox has published every event the tap listens to and each has
    arrived (or `timeout`), a moment longer for repeats, then compare by event id."""
    conn = await asyncpg.connect(dsn)
    deadline = time.monotonic() + timeout
    try:
        while True:
            rows = await conn.fetch(
                "SELECT event_id, type, published_at FROM outbox_message "
                "WHERE type = ANY($1::text[])",
                list(EVENTS.values()),
            )
            committed = {r["event_id"] for r in rows}
            published = all(r["published_at"] is not None for r in rows)
            if (published and committed <= set(tap.ids())) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.2)
    finally:
        await conn.close()
    await asyncio.sleep(2.0)
    ids = tap.ids()
    received = set(ids)
    by_type = {t: sum(1 for r in rows if r["type"] == t) for t in EVENTS.values()}
    return {
        "expected": len(committed),
        "received": len(received & committed),
        "duplicates": len(ids) - len(received),
        "missing": len(committed - received),
        "unexpected": len(received - committed),
        "expected_by_type": by_type,
        "answered_2xx": answered,
        "note": "expected: the events the tickets service committed (seeding, warm-ups "
        "and measured runs); answered_2xx: the 2xx answers counted by the client (a "
        "write still in flight when wrk stopped is committed but not counted)",
    }


# ---------------------------------------------------------------------------------------
# Ceilings: a bare FastAPI app, single-row inserts, one ORM read on the same app.
# ---------------------------------------------------------------------------------------

HELLO_APP = """
import sys

from fastapi import FastAPI
from sqlalchemy import BigInteger, Text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from portal_ops.serving import serve

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"hello": "world"}


class Base(DeclarativeBase):
    pass


class Row(Base):
    __tablename__ = "insert_ceiling"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    payload: Mapped[str] = mapped_column(Text)


if len(sys.argv) > 2:  # a database: one row by primary key, as a service reads it
    sessions = async_sessionmaker(
        create_async_engine(sys.argv[2], pool_size=8, max_overflow=8), expire_on_commit=False
    )

    @app.get("/row/{row_id}")
    async def row(row_id: int) -> dict[str, object]:
        async with sessions() as session:
            found = await session.get(Row, row_id)
        return {"id": found.id, "payload": found.payload[:32]} if found else {}


serve(app, "127.0.0.1", int(sys.argv[1]), "WARNING", drain_seconds=0)
"""


async def _ceiling_app(
    workdir: Path, seconds: int, cell: Cell, choices: list[str], dsn: str | None = None
) -> dict[str, Any]:
    """The bare app, served by `portal_ops.serving` like every service, under `cell`."""
    app, port = workdir / "hello_app.py", _port()
    app.write_text(HELLO_APP)
    out = (workdir / "hello.log").open("ab")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, str(app), str(port), *([dsn] if dsn else []), stdout=out, stderr=out
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as probe:
            for _ in range(300):
                try:
                    if (await probe.get(f"{base}/hello")).status_code == 200:
                        break
                except httpx.TransportError:
                    await asyncio.sleep(0.1)
            else:
                raise RuntimeError(f"hello app not ready: {text_of(workdir / 'hello.log')}")
        script = lua_script(cell, "", choices, workdir, "ceiling")
        await run_wrk(base, script, CEILING_CONCURRENCY, 1)  # warm-up
        cpu = process_cpu(proc.pid)
        result = await run_wrk(base, script, CEILING_CONCURRENCY, seconds)
        used = process_cpu(proc.pid)
    finally:
        await stop([proc])
        out.close()
    per_request = (
        round((used - cpu) * 1000 / result["requests"], 3)
        if cpu is not None and used is not None and result["requests"]
        else None
    )
    return {**result, "app_cpu_ms_per_request": per_request}


async def hello_ceiling(workdir: Path, seconds: int) -> dict[str, Any]:
    """A FastAPI app with one route."""
    found = await _ceiling_app(workdir, seconds, Cell("GET", "/hello"), [])
    return {"request": "GET /hello (FastAPI, one uvicorn worker)", **found}


async def orm_read_ceiling(workdir: Path, seconds: int, dsn: str, rows: int) -> dict[str, Any]:
    """The same app reading one row by primary key through SQLAlchemy's async ORM (a
    session per request, asyncpg): what one statement costs on this stack, the floor
    under a service's read of several."""
    cell = Cell("GET", "/row/", pick="row")
    choices = [str(i) for i in range(1, min(max(2, rows), 10_000) + 1)]
    found = await _ceiling_app(workdir, seconds, cell, choices, dsn)
    return {"request": "GET /row/{id} (FastAPI, SQLAlchemy ORM session.get, asyncpg)", **found}


INSERT_SQL = "INSERT INTO insert_ceiling (payload) VALUES (repeat(md5(random()::text), 16));\n"


async def insert_ceiling(
    dbs: PostgresDatabases, workdir: Path, seconds: int
) -> tuple[dict[str, Any], str]:
    """Single-row inserts of 512 bytes, each its own transaction, with pgbench. Also
    returns the database's URL (its rows are what the ORM read ceiling reads)."""
    url_of_db = await dbs.create("peer_insert")
    dsn = url_of_db.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(
            "CREATE TABLE insert_ceiling (id bigserial PRIMARY KEY, "
            "created_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)"
        )
        settings = {
            name: await conn.fetchval(f"SHOW {name}")
            for name in ("server_version", "fsync", "synchronous_commit")
        }
    finally:
        await conn.close()
    script = workdir / "insert.sql"
    script.write_text(INSERT_SQL)
    url = urlsplit(dsn)
    env = {**os.environ, **({"PGPASSWORD": url.password} if url.password else {})}
    proc = await asyncio.create_subprocess_exec(
        "pgbench", "-n", "-f", str(script), "-c", str(CEILING_CONCURRENCY), "-j", "2",
        "-T", str(seconds), "-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432),
        "-U", url.username or "postgres", url.path.lstrip("/"),
        env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await proc.communicate()
    text = out.decode()
    tps = re.search(r"tps = ([\d.]+)", text)
    if proc.returncode != 0 or tps is None:
        raise RuntimeError(f"pgbench failed ({proc.returncode}): {err.decode()[-1000:]}")
    latency = re.search(r"latency average = ([\d.]+) ms", text)
    failed = re.search(r"number of failed transactions: (\d+)", text)
    return {
        "statement": INSERT_SQL.strip(),
        "load_generator": f"pgbench, {CEILING_CONCURRENCY} clients, 2 threads",
        "seconds": seconds,
        "inserts_per_s": round(float(tps.group(1)), 1),
        "latency_avg_ms": float(latency.group(1)) if latency else None,
        "failed": int(failed.group(1)) if failed else 0,
        "postgresql": settings,
    }, url_of_db


# ---------------------------------------------------------------------------------------
# The system under test, its data and the cells.
# ---------------------------------------------------------------------------------------


@dataclass
class System:
    urls: dict[str, str]  # the databases
    bases: dict[str, str]  # "gateway" / "direct" -> base URL
    pids: dict[str, int]
    token: str


async def start_system(
    dbs: PostgresDatabases, namespace: str, workdir: Path, procs: list[Any]
) -> System:
    urls = {name: await dbs.create(name) for name in ("identity", "tickets")}
    ports = {name: _port() for name in ("identity", "tickets", "gateway")}
    env = service_env(urls, ports, namespace, workdir)
    # Rate limits counted in Redis as in production, raised so the load is not refused.
    env.update(
        PORTAL_REDIS_URL=REDIS,
        GATEWAY_RATE_LIMIT_PER_USER="10000000",
        GATEWAY_RATE_LIMIT_PER_ADDRESS="10000000",
        PORTAL_SHUTDOWN_DRAIN_SECONDS="0",  # nothing is in flight when the run stops them
    )
    await migrate_and_start_identity(env, ports, workdir, procs)
    people = await create_people(env["IDENTITY_URL"])
    pids = {"identity": procs[-1].pid}
    for name in ("tickets", "gateway"):
        procs.append(await _serve(name, ports[name], env, workdir))
        pids[name] = procs[-1].pid
    bases = {
        "gateway": f"http://127.0.0.1:{ports['gateway']}",
        "direct": f"http://127.0.0.1:{ports['tickets']}",
    }
    async with httpx.AsyncClient(base_url=bases["gateway"], timeout=30) as client:
        token = await _login(client, people["customer_username"], USER_PASSWORD)
    return System(urls, bases, pids, token)


async def seed_tickets(system: System, count: int) -> tuple[list[str], dict[str, Any]]:
    """`count` tickets through the API (straight to the service, 8 at a time), each title
    ending in one of the keywords in turn."""
    rng = random.Random(20261123)
    bodies = []
    for i in range(count):
        body = _ticket_body(rng)
        body["title"] = f"{body['title']} {KEYWORDS[i % len(KEYWORDS)]}"
        bodies.append(body)
    numbers: list[str] = []
    headers = {"Authorization": f"Bearer {system.token}"}
    began = time.perf_counter()
    async with httpx.AsyncClient(
        base_url=system.bases["direct"], headers=headers, timeout=60
    ) as client:

        async def worker() -> None:
            while bodies:
                r = await client.post("/api/v1/tickets", json=bodies.pop())
                if r.status_code != 201:
                    raise RuntimeError(f"seeding answered {r.status_code}: {r.text[:500]}")
                numbers.append(r.json()["number"])

        await asyncio.gather(*(worker() for _ in range(8)))
        hits = await client.get("/api/v1/tickets/summary", params={"q": KEYWORDS[0]})
        hits.raise_for_status()
    seconds = time.perf_counter() - began
    return numbers, {
        "tickets": count,
        "seconds": round(seconds, 1),
        "keywords": f"{KEYWORDS[0]}..{KEYWORDS[-1]}",
        f"search_hits_{KEYWORDS[0]}": hits.json()["total"],
    }


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of every number across runs (nested dictionaries key by key)."""
    result: dict[str, Any] = {}
    for key, first in runs[0].items():
        values = [run[key] for run in runs if run.get(key) is not None]
        if not values:
            continue
        if isinstance(first, dict):
            result[key] = _median(values)
        elif isinstance(first, int | float) and not isinstance(first, bool):
            result[key] = round(statistics.median(values), 3)
    return result


async def measure(
    system: System, meter: Meter, script: Path, through: str, connections: int, seconds: int
) -> dict[str, Any]:
    started = meter.sample()
    result = await run_wrk(system.bases[through], script, connections, seconds)
    return {**result, **meter.report(started, result["requests"])}


async def run_cell(
    name: str, system: System, meter: Meter, args: argparse.Namespace, script: Path
) -> tuple[dict[str, Any], int]:
    """Every concurrency, `--runs` times, alternating gateway and direct so that drift on
    a busy machine hits both alike. Returns the results and the 2xx answers counted."""
    result: dict[str, Any] = {through: {} for through in THROUGH}
    answered = 0
    warmup = min(args.warmup, args.seconds)
    for c in args.concurrency:
        runs: dict[str, list[dict[str, Any]]] = {through: [] for through in THROUGH}
        for through in THROUGH if warmup else ():
            note(f"{name} {through} c={c}: warm-up {warmup} s")
            warm = await run_wrk(system.bases[through], script, c, warmup)
            answered += warm["requests"] - warm["non_2xx"]
        for run in range(args.runs):
            for through in THROUGH:
                note(f"{name} {through} c={c}: run {run + 1} of {args.runs}")
                measured = await measure(system, meter, script, through, c, args.seconds)
                answered += measured["requests"] - measured["non_2xx"]
                runs[through].append(measured)
        for through in THROUGH:
            result[through][f"c{c}"] = {"runs": runs[through], "median": _median(runs[through])}
    return result, answered


def add_ratios(cells: dict[str, Any], ceilings: dict[str, Any]) -> None:
    """Each median's rate as a share of the hello ceiling, the writes' also of the insert
    one, the reads' also of the one ORM read."""
    hello = ceilings["hello"]["req_per_s"]
    inserts = ceilings["insert"]["inserts_per_s"]
    orm_read = ceilings["orm_read"]["req_per_s"]
    for name, by_through in cells.items():
        for by_concurrency in by_through.values():
            for found in by_concurrency.values():
                median = found["median"]
                median["of_hello_ceiling"] = round(median["req_per_s"] / hello, 4)
                if name in EVENTS:
                    median["of_insert_ceiling"] = round(median["req_per_s"] / inserts, 4)
                else:
                    median["of_orm_read_ceiling"] = round(median["req_per_s"] / orm_read, 4)


def versus_peer(cells: dict[str, Any]) -> dict[str, Any]:
    """Ours through the gateway at concurrency 8 against the peer's figures."""
    compared = {}
    for name, peer in PEER["req_per_s_c8"].items():  # type: ignore[attr-defined]
        found = cells.get(name, {}).get("gateway", {}).get("c8")
        if found:
            ours = found["median"]["req_per_s"]
            compared[name] = {"ours": ours, "peer": peer, "ratio": round(ours / peer, 2)}
    return compared


async def measure_all(
    system: System, dbs: PostgresDatabases, workdir: Path, args: argparse.Namespace
) -> dict[str, Any]:
    meter = Meter(system.pids)
    ceiling_seconds = max(1, min(5, args.seconds))
    note(f"ceilings: hello app, pgbench inserts, one ORM read; {ceiling_seconds} s each")
    hello = await hello_ceiling(workdir, ceiling_seconds)
    inserts, scratch = await insert_ceiling(dbs, workdir, ceiling_seconds)
    rows = int(inserts["inserts_per_s"] * ceiling_seconds)
    ceilings = {
        "hello": hello,
        "insert": inserts,
        "orm_read": await orm_read_ceiling(workdir, ceiling_seconds, scratch, rows),
    }
    cells: dict[str, Any] = {}
    answered = 0
    async with EventTap(AMQP, args.namespace, EVENTS.values()) as tap:
        numbers, seeded = await seed_tickets(system, args.seed)
        answered += len(numbers)
        picks = {"ticket": numbers, "keyword": KEYWORDS, None: []}
        dsn = system.urls["tickets"].replace("postgresql+asyncpg://", "postgresql://")
        statistics: dict[str, Any] = {}
        for name, cell in CELLS.items():
            if name not in EVENTS:
                statistics[name] = await analyze(dsn)
            script = lua_script(cell, system.token, picks[cell.pick], workdir, name)
            cells[name], writes = await run_cell(name, system, meter, args, script)
            answered += writes if name in EVENTS else 0
        note("waiting for the outbox to drain")
        events = await events_delivered(tap, dsn, answered)
    add_ratios(cells, ceilings)
    return {
        "seed": seeded,
        "statistics": {
            "server_autovacuum": await server_setting(dsn, "autovacuum"),
            "analyzed_before": statistics,
        },
        "ceilings": ceilings,
        "cells": cells,
        "events": events,
    }


async def analyze(dsn: str) -> dict[str, int]:
    """Bring the planner's statistics up to date, as autovacuum does within a minute of
    a burst of writes on a production server: the write cells have just added thousands
    of tickets, and a read planned for the few tickets the table held before (a sort of
    every ticket of the organization instead of a walk down its index) measures a state
    no running system stays in. Done here, not left to autovacuum: a test server may
    have it off, and its timing would make the reads' figures depend on luck. Returns
    the tickets counted and what the planner now believes there are."""
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute("ANALYZE")
        return {
            "tickets": await conn.fetchval("SELECT count(*) FROM ticket"),
            "planner_estimate": int(
                await conn.fetchval("SELECT reltuples FROM pg_class WHERE relname = 'ticket'")
            ),
        }
    finally:
        await conn.close()


async def server_setting(dsn: str, name: str) -> str:
    conn = await asyncpg.connect(dsn)
    try:
        return str(await conn.fetchval("SELECT current_setting($1)", name))
    finally:
        await conn.close()


def describe(cell: Cell) -> str:
    path = cell.before + (f"<{cell.pick}>" if cell.pick else "") + cell.after
    body = f" {json.dumps(cell.body, ensure_ascii=False)}" if cell.body else ""
    return f"{cell.method} {path}{body}"


def machine() -> dict[str, Any]:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in text_of("/proc/cpuinfo").splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "kernel": platform.release(),
    }


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    args.namespace = f"bench{uuid.uuid4().hex[:8]}"
    procs: list[Any] = []
    summary: dict[str, Any] = {
        "benchmark": "peer_requests",
        "machine": machine(),
        "load_generator": f"wrk {wrk_version()}, 1 thread, c connections",
        "settings": {
            "seed_tickets": args.seed,
            "concurrency": args.concurrency,
            "runs": args.runs,
            "seconds": args.seconds,
            "warmup_seconds": min(args.warmup, args.seconds),
        },
        "requests": {name: describe(cell) for name, cell in CELLS.items()},
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            system = await start_system(dbs, args.namespace, workdir, procs)
            summary.update(await measure_all(system, dbs, workdir, args))
        finally:
            await stop(procs)
            await dbs.drop_all()
            try:
                await delete_namespace(AMQP, args.namespace, ["tickets"])
            except Exception as exc:  # the broker is not essential to the cleanup
                note(f"could not delete the broker namespace {args.namespace}: {exc}")
    summary["peer"] = {**PEER, "url": args.peer_url}
    summary["versus_peer_c8"] = versus_peer(summary["cells"])
    print(json.dumps(summary, indent=2, ensure_ascii=False))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=1000, help="tickets created before")
    parser.add_argument(
        "--concurrency",
        type=lambda text: [int(c) for c in text.split(",")],
        default=[1, 8],
        help="comma-separated connection counts, e.g. 1,8",
    )
    parser.add_argument("--runs", type=int, default=2, help="per cell; the median is reported")
    parser.add_argument("--seconds", type=int, default=10, help="of each run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds before each cell's runs")
    parser.add_argument(
        "--peer-url", help="where the peer runs (noted only: its benchmark runs separately)"
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(arguments()))
