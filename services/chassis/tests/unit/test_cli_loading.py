"""The `portal` program loads only what a command needs: a served service does not hold
the other services' code (each module pulls in its domain, exports and libraries)."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from portal_ops import cli
try:
    cli.main({argv!r})
except SystemExit:
    pass
parts = {{"portal_identity", "portal_tickets", "portal_files", "portal_faq", "portal_notify"}}
# Alembic (with Mako and Pygments) is for the commands that migrate.
parts |= {{"alembic", "mako"}}
print(json.dumps(sorted({{m.split(".")[0] for m in sys.modules}} & parts)))
"""


def _loaded(argv: list[str]) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_program_s_own_commands_load_no_service_and_no_alembic() -> None:
    assert _loaded(["serve", "--help"]) == []
    assert _loaded(["worker", "--help"]) == []


def test_the_overview_lists_the_services_commands_so_it_loads_them() -> None:
    every = ["portal_faq", "portal_files", "portal_identity", "portal_notify", "portal_tickets"]
    assert [m for m in _loaded(["--help"]) if m.startswith("portal_")] == every


def test_a_served_service_holds_neither_alembic_nor_celery_before_it_sends_a_task() -> None:
    probe = (
        "import json, sys\n"
        "from portal_chassis import registry\n"
        "registry.load('faq').create_app()\n"
        "held = {m.split('.')[0] for m in sys.modules}\n"
        "print(json.dumps(sorted(held & {'alembic', 'mako', 'kombu', 'billiard'})))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
