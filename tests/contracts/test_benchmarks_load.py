"""Every benchmark script loads: they import helpers from one another (`tickets_scale`,
`ticket_plans`, `wrk_load`, ...), and most run too long for the suite, so a helper
moved or renamed would otherwise break them unseen."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"

# Imports each module in turn (as `python benchmarks/<name>.py` would, from that folder)
# and prints the ones that fail, with why.
PROBE = """
import importlib, sys, traceback
sys.path.insert(0, ".")
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        print(name, traceback.format_exc(limit=1), sep=": ")
"""


def test_every_benchmark_script_loads() -> None:
    names = sorted(p.stem for p in BENCHMARKS.glob("*.py"))
    assert "desk_queue" in names and "peer_requests" in names
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *names],
        cwd=BENCHMARKS,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == "", done.stdout
