"""The desk's queue over a million tickets: an agent's open tickets of one group, by next
due time, through the gateway.

* data: `tickets_seed.py`'s 1,000,000 tickets with 5,000,000 articles, spread over 8
  agent groups, 30 % of them open at any age (so each group's queue holds ~37,500 open
  tickets, most of them long past a target), each with its SLA clock: reaction and
  resolution due times, the pause of those waiting for the customer and the next due
  time by the service's own rule (`Ticket.next_due`). `--keep STATE` keeps the
  databases and writes where they are to the file STATE; `--reuse STATE` measures them
  again without seeding.
* services: identity, tickets and the gateway, each `portal serve` in its own process on
  PostgreSQL with RabbitMQ, as `tickets_scale.py` starts them.
* measured as an agent through the gateway (httpx, HTTP/1.1 keep-alive), each variant
  N times after a warm-up, the requests going round the groups:
  `GET /api/v1/tickets?state=open&group_id=<id>&sort=due&limit=25` (first page), the next
  page through its cursor, and the same with `sla=breached` and `sla=at_risk`; p50, p95,
  p99, and the CPU milliseconds per request of the gateway and the tickets process.
  Then the SQL the service issues for each variant, taken from its own code, under
  EXPLAIN (ANALYZE, BUFFERS), and the plan of its prepared statement from the 6th run.

Prints one JSON summary (progress goes to stderr). `--tickets 20000` is a quick run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, cast

import asyncpg
import httpx
from ticket_plans import plan_of
from tickets_scale import (
    AMQP,
    PG,
    USER_PASSWORD,
    Probe,
    _get,
    _login,
    _port,
    _serve,
    _stats,
    create_people,
    migrate_and_start_identity,
    service_env,
    stop,
)
from tickets_seed import DAY, SPAN, make_world, note, seed, text_of

from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

TARGET_P95_MS = 50
PAGE = 25
VARIANTS = {
    "first_page": "",
    "next_page": "",  # the first page's cursor is added per group
    "breached": "&sla=breached",
    "at_risk": "&sla=at_risk",
}


def queue_path(group: str, extra: str = "") -> str:
    return f"/api/v1/tickets?state=open&group_id={group}&sort=due&limit={PAGE}{extra}"


async def variant_paths(client: httpx.AsyncClient, groups: list[str]) -> dict[str, list[str]]:
    """Per variant, one path per group (the next page: after that group's first page)."""
    paths: dict[str, list[str]] = {label: [] for label in VARIANTS}
    for group in groups:
        _, status, page = await _get(client, queue_path(group))
        if status != 200 or not page.get("next_cursor"):
            raise RuntimeError(f"the queue of group {group} answered {status} without a cursor")
        for label, extra in VARIANTS.items():
            if label == "next_page":
                extra = f"&cursor={page['next_cursor']}"
            paths[label].append(queue_path(group, extra))
    return paths


async def rotate(
    client: httpx.AsyncClient, paths: list[str], probe: Probe, *, n: int, warmup: int
) -> dict[str, Any]:
    """`n` sequential requests after `warmup`, going round `paths`."""
    for i in range(warmup):
        await _get(client, paths[i % len(paths)])
    latencies: list[float] = []
    sizes: list[int] = []
    failed: dict[int, int] = {}
    started = probe.start()
    for i in range(n):
        elapsed, status, body = await _get(client, paths[i % len(paths)])
        if status != 200:
            failed[status] = failed.get(status, 0) + 1
            continue
        latencies.append(elapsed)
        sizes.append(len(body["items"]))
    result: dict[str, Any] = _stats(latencies) if latencies else {"n": 0}
    result.update(probe.report(started, len(latencies)))
    if sizes:
        result["items_per_page"] = [min(sizes), max(sizes)]
    if failed:
        result["failed"] = failed
    return result


async def queue_sizes(client: httpx.AsyncClient, group: str) -> dict[str, int]:
    """How many tickets each variant's filter holds in one group (the API's own counts)."""
    sizes = {}
    for label, extra in (("all", ""), ("open", "&state=open"), *(
        (v, f"&state=open{VARIANTS[v]}") for v in ("breached", "at_risk")
    )):  # fmt: skip
        _, status, body = await _get(client, f"/api/v1/tickets/summary?group_id={group}{extra}")
        sizes[label] = body.get("total", -status)
    return sizes


async def index_sizes(dsn: str) -> dict[str, float]:
    conn = await asyncpg.connect(dsn)
    try:
        rows = await conn.fetch(
            "SELECT relname, pg_relation_size(oid) AS bytes FROM pg_class "
            "WHERE relname = ANY($1::text[])",
            ["ticket", "ix_ticket_group_due", "ix_ticket_due", "ix_ticket_group_created"],
        )
    finally:
        await conn.close()
    return {r["relname"]: round(r["bytes"] / 2**20, 1) for r in rows}


# ---------------------------------------------------------------------------------------
# The service's own SQL under EXPLAIN ANALYZE (optional: skipped if its internals moved).
# ---------------------------------------------------------------------------------------


async def explain(url: str, agent: dict[str, str], paths: dict[str, list[str]]) -> dict[str, Any]:
    """Each variant's list SQL for the first group, captured from the service's code, under
    EXPLAIN (ANALYZE, BUFFERS), and the plan of its prepared statement from the 6th run
    where that differs."""
    from urllib.parse import parse_qs, urlsplit

    from sqlalchemy import event

    from portal_chassis.auth import Actor
    from portal_chassis.db import create_engine, make_session_factory
    from portal_tickets.base import messaging
    from portal_tickets.ticket import cursor as cursors
    from portal_tickets.ticket import service
    from portal_tickets.ticket.views import ListFilters
    from portal_tickets.uow import TicketsUoW

    engine = create_engine(url)
    dsn = url.replace("postgresql+asyncpg://", "postgresql://")
    captured: list[tuple[str, Any]] = []

    def capture(*args: Any) -> None:  # (conn, cursor, statement, parameters, context, many)
        captured.append((args[2], args[3]))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    actor = Actor(
        id=uuid.UUID(agent["id"]),
        username=agent["username"],
        organization_id=None,
        roles=frozenset({"agent"}),
    )
    uow = TicketsUoW(make_session_factory(engine), producer="tickets", tables=messaging)
    plans: dict[str, Any] = {}
    try:
        for label, variant in paths.items():
            query = {k: v[0] for k, v in parse_qs(urlsplit(variant[0]).query).items()}
            sla = cast(Any, query.get("sla"))  # one of the variants' values
            filters = ListFilters(state="open", group_id=query["group_id"], sla=sla)
            captured.clear()
            after = cursors.decode(query["cursor"], "due") if "cursor" in query else None
            async with uow:  # the list reads its page inside the unit of work
                await service.ticket_page(
                    uow=uow,
                    actor=actor,
                    scope="organization",
                    sort="due",
                    descending=False,
                    after=after,
                    limit=PAGE,
                    **filters.as_query(actor),
                )
            statement, parameters = next(
                (s, p) for s, p in captured if "FROM ticket" in s and "LIMIT" in s
            )
            plans[label] = await plan_of(engine, dsn, statement, parameters)
    finally:
        await engine.dispose()
    return plans


# ---------------------------------------------------------------------------------------


def write_state(path: str, state: dict[str, Any]) -> None:
    Path(path).write_text(json.dumps(state, indent=2))


async def prepare(
    args: argparse.Namespace, dbs: PostgresDatabases, workdir: Path, procs: list[Any]
) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The databases (seeded now, or kept from an earlier run) with identity running:
    (what the run needs to know of them, the environment, the seeding's figures)."""
    state = json.loads(text_of(args.reuse)) if args.reuse else None
    urls = state["urls"] if state else {n: await dbs.create(n) for n in ("identity", "tickets")}
    ports = {name: _port() for name in ("identity", "tickets", "gateway")}
    env = service_env(urls, ports, args.namespace, workdir)
    await migrate_and_start_identity(env, ports, workdir, procs)
    if state:
        note(f"reusing the data seeded {(time.time() - state['seeded_at']) / 3600:.1f} h ago")
        return {**state, "ports": ports}, env, {"reused": args.reuse}
    real = await create_people(env["IDENTITY_URL"])
    dsn = urls["tickets"].replace("postgresql+asyncpg://", "postgresql://")
    world = make_world(args, real, dsn, groups=args.groups, open_share=args.open_share)
    figures = await seed(dsn, world, real, workdir)
    state = {
        "urls": urls,
        "agent": {"id": real["agent"], "username": real["agent_username"]},
        "groups": world["groups"],
        "tickets": args.tickets,
        "seeded_at": world["now"],
    }
    if args.keep:
        write_state(args.keep, state)
    return {**state, "ports": ports}, env, figures


async def measure(
    state: dict[str, Any], env: dict[str, str], workdir: Path, procs: list[Any], n: int
) -> dict[str, Any]:
    ports, urls = state["ports"], state["urls"]
    probe = Probe(urls["tickets"].replace("postgresql+asyncpg://", "postgresql://"))
    for name in ("tickets", "gateway"):
        procs.append(await _serve(name, ports[name], env, workdir))
        probe.pids[name] = procs[-1].pid
    gateway = f"http://127.0.0.1:{ports['gateway']}"
    async with httpx.AsyncClient(base_url=gateway, timeout=120) as anonymous:
        token = await _login(anonymous, state["agent"]["username"], USER_PASSWORD)
    summary: dict[str, Any] = {}
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=gateway, timeout=120, headers=headers) as client:
        summary["first_group_queue"] = await queue_sizes(client, state["groups"][0])
        paths = await variant_paths(client, state["groups"])
        summary["queue"] = {}
        for label, variant in paths.items():
            note(f"queue {label}: {n} requests over {len(variant)} groups")
            summary["queue"][label] = await rotate(client, variant, probe, n=n, warmup=20)
    note("EXPLAIN ANALYZE of the queue's SQL")
    try:
        summary["explain"] = await explain(urls["tickets"], state["agent"], paths)
    except Exception as exc:  # optional: the service's internals may have moved
        summary["explain"] = {"unavailable": f"{type(exc).__name__}: {exc}"}
    summary["index_mb"] = await index_sizes(probe.dsn)
    p95 = {label: result.get("p95_ms") for label, result in summary["queue"].items()}
    summary["target"] = {
        "p95_ms": TARGET_P95_MS,
        "met": all(v is not None and v < TARGET_P95_MS for v in p95.values()),
    }
    return summary


async def main(args: argparse.Namespace) -> None:
    dbs = PostgresDatabases(PG)
    args.namespace = f"bench{uuid.uuid4().hex[:8]}"
    procs: list[Any] = []
    summary: dict[str, Any] = {"benchmark": "desk_queue", "cpus": os.cpu_count()}
    summary["scale"] = {
        "tickets": args.tickets,
        "articles_target": args.articles,
        "organizations": args.orgs,
        "groups": args.groups,
        "open_share": args.open_share,
        "created_at_span_days": SPAN / DAY,
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        try:
            state, env, summary["seed"] = await prepare(args, dbs, workdir, procs)
            if args.reuse:
                summary["scale"] = {"tickets": state["tickets"], "reused": True}
            summary.update(await measure(state, env, workdir, procs, args.requests))
            if args.keep:
                summary["kept"] = args.keep
        finally:
            await stop(procs)
            if not args.keep:
                await dbs.drop_all()  # only what this run created: a reused set stays
            try:
                await delete_namespace(AMQP, args.namespace, ["tickets"])
            except Exception as exc:  # the broker is not essential to the cleanup
                note(f"could not delete the broker namespace {args.namespace}: {exc}")
    print(json.dumps(summary, indent=2, ensure_ascii=False))


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--articles", type=int, help="default: five per ticket")
    parser.add_argument("--orgs", type=int, help="default: one per 1,000 tickets, 50 or more")
    parser.add_argument("--users-per-org", type=int, default=10)
    parser.add_argument("--agents", type=int, default=25, help="service desk, incl. the measured")
    parser.add_argument("--groups", type=int, default=8)
    parser.add_argument("--open-share", type=float, default=0.3)
    parser.add_argument("--requests", type=int, default=200, help="per variant, after 20")
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--keep", metavar="STATE", help="keep the databases, note them here")
    parser.add_argument("--reuse", metavar="STATE", help="measure databases kept with --keep")
    args = parser.parse_args()
    args.articles = args.articles or 5 * args.tickets
    args.orgs = args.orgs or max(50, args.tickets // 1000)
    return args


if __name__ == "__main__":
    asyncio.run(main(arguments()))
