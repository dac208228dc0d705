"""The export libraries (openpyxl, fpdf with fontTools) are loaded by the first export,
not by every tickets process at start (export/tables.py)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from portal_tickets.module import module
module.create_app()
loaded = {m.split(".")[0] for m in sys.modules}
print(json.dumps(sorted({"openpyxl", "fpdf", "fontTools"} & loaded)))
"""


def test_the_tickets_app_starts_without_the_export_libraries() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        env={"TICKETS_DATABASE_URL": "sqlite+aiosqlite:///:memory:", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
