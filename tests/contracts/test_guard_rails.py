"""The code's guard rails, run with the suite so that a change that breaks them fails
like any other test: the import boundaries (`.importlinter`) and the type check over
every package (`mypy.ini`: strict on the chassis)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = [
    "services/chassis/src/portal_chassis",
    "services/chassis/src/portal_ops",
    "services/identity/src/portal_identity",
    "services/tickets/src/portal_tickets",
    "services/files/src/portal_files",
    "services/notify/src/portal_notify",
    "services/faq/src/portal_faq",
    "gateway/src/portal_gateway",
]


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_import_boundaries_hold() -> None:
    lint_imports = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert lint_imports, "import-linter is not installed (pip install -e '.[dev]')"
    result = _run(lint_imports, "--no-cache")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_package_type_checks() -> None:
    result = _run(sys.executable, "-m", "mypy", "--no-incremental", *PACKAGES)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
