"""How fast `portal dev` answers: seconds from process start to /healthz and /readyz.

Runs the command as a user would, on a fresh data directory (migrations included) and
again on the existing one. Prints one JSON summary.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _until_ok(url: str, started: float, timeout: float = 60.0) -> float:
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise TimeoutError(url)


def _run(data_dir: str) -> dict[str, float]:
    port = _free_port()
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "portal_ops.cli",
            "dev",
            "--demo",
            "--port",
            str(port),
            "--data-dir",
            data_dir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PORTAL_LOG_LEVEL": "WARNING"},
    )
    try:
        healthz = _until_ok(f"http://127.0.0.1:{port}/healthz", started)
        readyz = _until_ok(f"http://127.0.0.1:{port}/readyz", started)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    return {"healthz_s": round(healthz, 3), "readyz_s": round(readyz, 3)}


def main(rounds: int = 3) -> None:
    fresh, warm = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as data_dir:
            fresh.append(_run(data_dir))
            warm.append(_run(data_dir))
    summary = {
        "benchmark": "portal_dev_startup",
        "rounds": rounds,
        "fresh_data_dir_readyz_s": {
            "median": statistics.median(r["readyz_s"] for r in fresh),
            "max": max(r["readyz_s"] for r in fresh),
        },
        "existing_data_dir_readyz_s": {
            "median": statistics.median(r["readyz_s"] for r in warm),
            "max": max(r["readyz_s"] for r in warm),
        },
        "target_s": 5.0,
    }
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
