"""Bounded shutdown: a stopping process never waits for ever on a task or a backend.

`task.cancel()` followed by `await task` can hang: Python 3.11's `asyncio.wait_for`
swallows a cancellation that arrives just as the awaited thing completes, so a loop built
on it goes round again; and a task inside a driver call whose peer went silent (a dropped
database, a half-open socket) may not notice the cancellation for minutes. Stopping
therefore cancels again until the task ends and gives up, loudly, after a deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Iterable
from typing import Any

log = logging.getLogger(__name__)

# How long one part of a stopping service may take before it is left behind.
STEP_SECONDS = 5.0
_RECANCEL_SECONDS = 0.25


async def cancel_and_wait(
    tasks: Iterable[asyncio.Task[Any]], *, what: str, timeout: float = STEP_SECONDS
) -> bool:
    """Cancel `tasks` and wait until they end, cancelling again while they go on.

    Returns False (and logs) when some task outlived `timeout`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pending = {task for task in tasks if not task.done()}
    while pending:
        left = deadline - loop.time()
        if left <= 0:
            log.warning(
                "tasks did not stop in time; left behind",
                extra={"what": what, "tasks": sorted(t.get_name() for t in pending)},
            )
            return False
        for task in pending:
            task.cancel()
        _, pending = await asyncio.wait(pending, timeout=min(left, _RECANCEL_SECONDS))
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: no "exception was never retrieved" at exit
    return True


async def within(step: Awaitable[Any], *, what: str, timeout: float = STEP_SECONDS) -> bool:
    """Await one shutdown step for at most `timeout` seconds; False (logged) if it did
    not finish or failed. A failing step must not keep the later ones from running."""
    try:
        async with asyncio.timeout(timeout):
            await step
    except TimeoutError:
        log.warning("shutdown step timed out", extra={"what": what, "seconds": timeout})
        return False
    except Exception:
        log.warning("shutdown step failed", extra={"what": what}, exc_info=True)
        return False
    return True


async def wait_event(event: asyncio.Event, timeout: float) -> bool:
    """Whether `event` was set within `timeout` seconds. Unlike `asyncio.wait_for` on
    Python 3.11 it never swallows a cancellation of the caller."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(timeout):
            await event.wait()
            return True
    return False
