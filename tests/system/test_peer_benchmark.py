"""The peer comparison benchmark (`benchmarks/peer_requests.py`) in its smallest form:
identity, tickets and the gateway as processes on PostgreSQL, RabbitMQ and Redis, wrk
driving every cell through the gateway and straight to the service, the ceilings and the
event count. Checks the shape of its JSON, not its figures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.system]

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "peer_requests.py"
CELLS = {"create", "comment", "fetch", "search", "list"}
SERVERS = {"gateway", "tickets", "identity"}


def _tools() -> None:
    missing = [tool for tool in ("wrk", "pgbench") if shutil.which(tool) is None]
    if missing:
        message = f"not installed: {', '.join(missing)} (apt-get install wrk postgresql-client)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.mark.timeout(300)
def test_smallest_run_reports_every_cell_without_errors(
    postgres_url: str, amqp_url: str, redis_url: str
) -> None:
    _tools()
    env = {
        **os.environ,
        "PORTAL_TEST_POSTGRES_URL": postgres_url,
        "PORTAL_TEST_AMQP_URL": amqp_url,
        "PORTAL_TEST_REDIS_URL": redis_url,
    }
    args = ["--seed", "40", "--seconds", "1", "--warmup", "0", "--runs", "1", "--concurrency", "2"]
    args += ["--peer-url", "http://rt.example.test"]  # noted only
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)

    assert report["machine"]["cpus"] >= 1
    assert report["load_generator"].startswith("wrk ")
    assert report["seed"]["tickets"] == 40
    assert report["seed"]["search_hits_kw00"] == 2  # 40 tickets over 20 keywords
    assert report["ceilings"]["hello"]["req_per_s"] > 0
    assert report["ceilings"]["hello"]["errors"] == 0
    assert report["ceilings"]["insert"]["inserts_per_s"] > 0
    assert report["ceilings"]["insert"]["failed"] == 0
    # The same app reading one row through the ORM: slower than the bare route, and
    # every answer a 2xx (an id past the seeded rows would be an empty answer, still 200).
    orm_read = report["ceilings"]["orm_read"]
    assert 0 < orm_read["req_per_s"] < report["ceilings"]["hello"]["req_per_s"]
    assert orm_read["errors"] == 0
    assert orm_read["app_cpu_ms_per_request"] > 0

    # The reads are planned on statistics of the tickets the writes left, whatever the
    # server's autovacuum does.
    assert report["statistics"]["server_autovacuum"] in {"on", "off"}
    analyzed = report["statistics"]["analyzed_before"]
    assert set(analyzed) == {"fetch", "search", "list"}
    for found in analyzed.values():
        assert found["tickets"] > 40  # the seeded ones and those the create cell opened
        assert found["planner_estimate"] == found["tickets"], analyzed

    assert set(report["cells"]) == CELLS
    for name, by_through in report["cells"].items():
        assert set(by_through) == {"gateway", "direct"}, name
        for through, by_concurrency in by_through.items():
            cell = by_concurrency["c2"]
            assert len(cell["runs"]) == 1
            median = cell["median"]
            assert median["requests"] > 0, (name, through)
            assert median["errors"] == 0, (name, through, cell["runs"])
            assert median["p50_ms"] <= median["p95_ms"] <= median["p99_ms"]
            assert 0 < median["of_hello_ceiling"] < 1
            assert set(median["cpu_ms_per_request"]) >= SERVERS, (name, through)
            assert median["cpu_ms_per_request"]["tickets"] > 0
            assert 0 <= median["load_generator_cpu_share"] <= 2
            assert ("of_insert_ceiling" in median) == (name in {"create", "comment"})
            assert ("of_orm_read_ceiling" in median) != (name in {"create", "comment"})

    events = report["events"]
    assert events["expected"] == events["received"]
    assert events["missing"] == events["unexpected"] == events["duplicates"] == 0
    # Every write answered 2xx was committed (a few more may have been in flight at the end).
    assert events["expected"] >= events["answered_2xx"] > 40

    assert report["peer"]["system"] == "Request Tracker 5"
    assert report["peer"]["req_per_s_c8"]["create"] == 6.5
    assert report["peer"]["url"] == "http://rt.example.test"
    assert report["versus_peer_c8"] == {}  # concurrency 8 was not measured
