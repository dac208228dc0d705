"""Memory at rest: what each process of the portal holds once it is up and idle.

Two set-ups, as a user runs them:
- distributed: the five services and the gateway, each `portal serve` in its own process
  on PostgreSQL (one database per service, migrated), RabbitMQ and Redis;
- all-in-one: `portal dev --demo` (one process, SQLite, the demo data).

After `--settle` seconds of quiet, each process's resident set (RSS) and its
proportional share (PSS: shared pages divided among the processes sharing them) from
`/proc`, and the PostgreSQL connections the distributed services hold open. Targets:
a service process at most 100 MB RSS, the all-in-one at most 200 MB. Prints one JSON
summary.

    .venv/bin/python benchmarks/memory.py [--settle 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from portal_chassis import migrations, registry
from portal_chassis.testing.cluster import free_port
from portal_chassis.testing.plugin import PostgresDatabases, delete_namespace

# The cluster of the system tests (tests/cluster_kit.py).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from cluster_kit import SERVICES, Cluster
from tickets_scale import AMQP, PASSWORD, PG, stop

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SERVICE_TARGET_MB = 100
ALL_IN_ONE_TARGET_MB = 200


def memory_mb(pid: int) -> dict[str, float]:
    """RSS and PSS of a process, in MB (from /proc: Linux only)."""
    figures: dict[str, float] = {}
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        for line in rollup:
            key, _, rest = line.partition(":")
            if key in ("Rss", "Pss"):
                figures[key.lower() + "_mb"] = round(int(rest.split()[0]) / 1024, 1)
    return figures


async def distributed(settle: float, logs: Path) -> dict[str, Any]:
    dbs = PostgresDatabases(PG)
    namespace = f"bench{uuid.uuid4().hex[:10]}"
    cluster: Cluster | None = None
    try:
        urls: dict[str, str] = {}
        for name in SERVICES:
            module = registry.load(name)
            urls[name] = await dbs.create(f"bench_mem_{name}")
            config = migrations.alembic_config(
                versions=module.versions, metadata=module.metadata, url=urls[name]
            )
            await migrations.upgrade(config)
        cluster = await Cluster.create(
            logs,
            database_urls=urls,
            amqp_url=AMQP,
            redis_url=REDIS,
            namespace=namespace,
            env={"PORTAL_BOOTSTRAP_ADMIN_PASSWORD": PASSWORD, "PORTAL_LOG_LEVEL": "WARNING"},
        )
        await asyncio.sleep(settle)
        processes = {
            name: memory_mb(member.process.pid)
            for name, member in cluster.members.items()
            if member.process is not None
        }
        connections = await _connections([url.rsplit("/", 1)[1] for url in urls.values()])
    finally:
        if cluster is not None:
            await cluster.stop()
        await delete_namespace(AMQP, namespace, list(SERVICES))
        await dbs.drop_all()
    return {
        "processes": processes,
        "total_rss_mb": round(sum(p["rss_mb"] for p in processes.values()), 1),
        "total_pss_mb": round(sum(p["pss_mb"] for p in processes.values()), 1),
        "largest_rss_mb": max(p["rss_mb"] for p in processes.values()),
        "postgresql_connections": connections,
    }


async def _connections(databases: list[str]) -> dict[str, int]:
    """Open connections per database, as PostgreSQL counts them."""
    conn = await asyncpg.connect(PG.replace("postgresql+asyncpg", "postgresql"))
    try:
        rows = await conn.fetch(
            "SELECT datname, count(*) AS n FROM pg_stat_activity "
            "WHERE datname = ANY($1::text[]) GROUP BY datname",
            databases,
        )
    finally:
        await conn.close()
    found = {row["datname"]: row["n"] for row in rows}
    return {**found, "total": sum(found.values())}


async def all_in_one(settle: float) -> dict[str, Any]:
    port = free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        args = ["dev", "--demo", "--port", str(port), "--data-dir", data_dir]
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "portal_ops.cli", *args,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PORTAL_LOG_LEVEL": "WARNING"},
        )  # fmt: skip
        try:
            await _until_ready(f"http://127.0.0.1:{port}/readyz", proc)
            await asyncio.sleep(settle)
            return memory_mb(proc.pid)
        finally:
            await stop([proc])


async def _until_ready(url: str, proc: asyncio.subprocess.Process, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline and proc.returncode is None:
            try:
                if (await client.get(url)).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.2)
    raise RuntimeError(f"`portal dev` did not become ready (exit code {proc.returncode})")


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as logs:
        spread = await distributed(args.settle, Path(logs))
    single = await all_in_one(args.settle)
    print(
        json.dumps(
            {
                "benchmark": "memory_at_rest",
                "cores": os.cpu_count(),
                "settle_s": args.settle,
                "distributed": spread,
                "all_in_one": single,
                "targets_mb": {
                    "service_rss": SERVICE_TARGET_MB,
                    "all_in_one_rss": ALL_IN_ONE_TARGET_MB,
                },
                "met": {
                    "service_rss": spread["largest_rss_mb"] <= SERVICE_TARGET_MB,
                    "all_in_one_rss": single["rss_mb"] <= ALL_IN_ONE_TARGET_MB,
                },
            },
            indent=2,
        )
    )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--settle", type=float, default=10.0, help="seconds of quiet first")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(arguments()))
