"""The sign-in benchmark (`benchmarks/identity_login.py`) in its smallest form: identity
as its own process on PostgreSQL, signed in to one by one and eight at a time. Checks
that every sign-in succeeded (eight parallel sign-ins of one account are more attempts
than the throttle allows it: the benchmark must raise the limits it does not measure)
and the shape of its JSON, not its figures."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.system]

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "identity_login.py"


@pytest.mark.timeout(180)
def test_smallest_run_signs_in_every_time(postgres_url: str) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--sequential", "5", "--concurrent", "16"],
        env={**os.environ, "PORTAL_TEST_POSTGRES_URL": postgres_url},
        capture_output=True,
        text=True,
        timeout=170,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report = json.loads(done.stdout)

    assert report["login"]["sequential"]["n"] == 5
    parallel = report["login"]["concurrency_8"]
    assert parallel["n"] == 16
    assert parallel["logins_per_s"] > 0
    assert 0 < parallel["p50_ms"] <= parallel["p99_ms"]
    assert report["argon2"]["hash_ms_median"] > 0
    assert report["token_verification"]["us_per_verification"] > 0
