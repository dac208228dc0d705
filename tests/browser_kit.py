"""What browser tests share: signing in, screenshots and the accessibility check."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

ARTIFACTS = Path(
    os.environ.get("PORTAL_TEST_ARTIFACTS", Path(__file__).resolve().parents[1] / "test-artifacts")
)
DEMO_PASSWORD = "portal-demo-2026"
SERIOUS = ("serious", "critical")


def sign_in(page: Any, base: str, username: str, *, lang: str = "en") -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)


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
