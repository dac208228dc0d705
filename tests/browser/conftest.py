"""Browser tests: Playwright driving the system's Chromium against `portal dev --demo`
running as its own process, as a user would start it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from portal_chassis.testing.cluster import free_port

CHROMIUM = os.environ.get("PORTAL_TEST_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return CHROMIUM


@pytest.fixture(scope="module")
def live_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`portal dev --demo` on a free port, with its own data directory."""
    data = tmp_path_factory.mktemp("portal-data")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_PUBLIC_URL": base,
        "PORTAL_LOG_LEVEL": "WARNING",
        # One browser from one address signs several people in: keep the edge's limits
        # out of the way of the test, not of the feature.
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
    }
    env.pop("PORTAL_BOOTSTRAP_ADMIN_PASSWORD", None)
    log = (data / "portal.log").open("wb")
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
            str(data),
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError((data / "portal.log").read_text()[-3000:])
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError("portal dev did not become ready")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="module")
def browser(chromium_path: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()
