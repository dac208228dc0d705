"""Gauges read from the database: a server recounts them at start and then periodically,
and a failing round does not stop it."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from pathlib import Path

from portal_chassis import registry
from portal_chassis.metrics import keep_fresh
from portal_chassis.runtime import Runtime
from portal_chassis.settings import PortalSettings


async def test_a_failing_round_is_retried_at_the_next() -> None:
    rounds: list[int] = []

    async def refresh() -> None:
        rounds.append(len(rounds))
        if len(rounds) == 1:
            raise ConnectionError("the database is away for a moment")

    job = asyncio.create_task(keep_fresh(refresh, name="test", every=0.01))
    while len(rounds) < 3:
        await asyncio.sleep(0.01)
    job.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await job
    assert rounds[:3] == [0, 1, 2]


async def test_a_server_counts_its_gauges_at_start(tmp_path: Path) -> None:
    counted: list[str] = []

    async def count(runtime: Runtime) -> None:
        counted.append(runtime.name)

    module = dataclasses.replace(registry.load("faq"), gauges=[count])
    portal = PortalSettings(data_dir=tmp_path, auto_migrate=True)
    app = module.create_app(module.settings_cls(portal=portal))
    async with app.router.lifespan_context(app):
        for _ in range(200):
            if counted:
                break
            await asyncio.sleep(0.01)
    assert counted == ["faq"]
