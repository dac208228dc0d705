"""What browser tests share: `portal dev --demo` as its own process, signing in,
screenshots and the accessibility check."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from portal_chassis.testing.cluster import free_port

ARTIFACTS = Path(
    os.environ.get("PORTAL_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts")
)
DEMO_PASSWORD = "portal-demo-2026"
SERIOUS = ("serious", "critical")
# Each running portal's log by its base address, so a failing wait can tell why.
_LOGS: dict[str, Path] = {}


def sign_in(page: Any, base: str, username: str, *, lang: str = "en") -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


def reload_until(page: Any, selector: str, *, seconds: float = 60.0) -> None:
    """Reloads the page until `selector` is on it: for what arrives by event (a notice,
    a copied record), which a busy machine may deliver seconds later. Failing, it says
    what the page showed and what the portal logged."""
    deadline = time.monotonic() + seconds
    while not page.locator(selector).count():
        if time.monotonic() > deadline:
            origin = "/".join(page.url.split("/")[:3])
            log = _LOGS.get(origin)
            logged = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
            shown = page.locator("main").inner_text()[:1500] if page.locator("main").count() else ""
            raise AssertionError(
                f"{selector} not on {page.url} after {seconds:.0f} s\n"
                f"page: {shown}\nportal log: {logged}"
            )
        page.wait_for_timeout(500)
        page.reload()


def shoot(page: object, name: str) -> Path:
    """A full-page screenshot as a test artifact."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def accessible(page: object, name: str) -> None:
    """axe-core finds no serious or critical violation on the page (the report is kept)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    report = ARTIFACTS / "axe" / f"{name}.txt"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(results.generate_report())
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:3])
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]
    assert not bad, f"{name}: " + " | ".join(bad)


@dataclass(frozen=True)
class LivePortal:
    base: str
    data: Path
    env: dict[str, str]


@contextlib.contextmanager
def running_portal(
    data: Path, *, host: str = "127.0.0.1", **extra_env: str
) -> Iterator[LivePortal]:
    """`portal dev --demo` on a free port, with its own data directory; reached at
    `host` (passkeys need a name such as `localhost`: browsers refuse an IP address)."""
    port = free_port()
    base = f"http://{host}:{port}"
    env = {
        **os.environ,
        "PORTAL_PUBLIC_URL": base,
        "PORTAL_LOG_LEVEL": "WARNING",
        # One browser from one address signs several people in: keep the edge's limits
        # out of the way of the test, not of the feature.
        "GATEWAY_RATE_LIMIT_PER_ADDRESS": "0",
        **extra_env,
    }
    env.pop("PORTAL_BOOTSTRAP_ADMIN_PASSWORD", None)
    command = [sys.executable, "-m", "portal_ops.cli", "dev", "--demo"]
    command += ["--port", str(port), "--data-dir", str(data)]
    log = (data / "portal.log").open("wb")
    _LOGS[base] = data / "portal.log"
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
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
        yield LivePortal(base=base, data=data, env=extra_env)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
