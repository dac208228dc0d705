"""The memory benchmark (`benchmarks/memory.py`) in its shortest form: every process of
the distributed mode and the all-in-one measured from /proc. Checks the shape of its
JSON and that each figure is a real one, not the targets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.system]

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "memory.py"
PROCESSES = {"identity-1", "tickets-1", "files-1", "faq-1", "notify-1", "gateway"}


@pytest.mark.timeout(300)
def test_shortest_run_measures_every_process(
    postgres_url: str, amqp_url: str, redis_url: str
) -> None:
    env = {
        **os.environ,
        "PORTAL_TEST_POSTGRES_URL": postgres_url,
        "PORTAL_TEST_AMQP_URL": amqp_url,
        "PORTAL_TEST_REDIS_URL": redis_url,
    }
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--settle", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)

    processes = report["distributed"]["processes"]
    assert set(processes) == PROCESSES
    for figures in processes.values():
        # A Python process serving FastAPI holds tens of MB; PSS never exceeds RSS.
        assert 20 < figures["rss_mb"] < 2000
        assert 0 < figures["pss_mb"] <= figures["rss_mb"]
    assert report["distributed"]["largest_rss_mb"] == max(p["rss_mb"] for p in processes.values())
    # Every service keeps its database connections in a pool: at least one is open.
    connections = report["distributed"]["postgresql_connections"]
    assert connections["total"] >= 5
    assert 20 < report["all_in_one"]["rss_mb"] < 2000
    assert report["met"]["all_in_one_rss"] == (report["all_in_one"]["rss_mb"] <= 200)
