"""Waiting, in a test, for an ended sign-in to reach the token verifiers.

An ended sign-in is in a verifier's list once a poll sent after it has come back
(`RevocationList.asked_at`). On a busy test machine that answer can come back seconds
later than on a quiet one, so a fixed bound on the wait would test the machine's load.
`until_refused` waits for those polls and then expects the refusal at once; the wait
itself is bounded only against a hang. How soon the polls come is the polling's own rule,
tested by RevocationList's unit tests.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable

from portal_chassis.revocation import RevocationList

# Longer than any poll's answer takes however busy the machine: past it, polling hangs.
HANG_SECONDS = 30.0


def polled_since(lists: Iterable[RevocationList], since: float) -> bool:
    """Whether every list comes from a poll sent at or after `since` (monotonic)."""
    return all(part.asked_at is not None and part.asked_at >= since for part in lists)


async def until_refused(
    refused: Callable[[], Awaitable[bool]],
    lists: Iterable[RevocationList],
    *,
    since: float,
    state: Callable[[], str] = lambda: "",
) -> None:
    """Ask `refused` until it holds. Fails when it does not although every list comes
    from a poll sent since the sign-in ended at `since`, or once HANG_SECONDS passed;
    `state` says what was seen, for the failure's message."""
    lists = list(lists)
    while True:
        current = polled_since(lists, since)
        if await refused():
            return
        assert not current, f"accepted with every list from a poll sent since: {state()}"
        assert time.monotonic() - since < HANG_SECONDS, f"no poll came back: {state()}"
        await asyncio.sleep(0.2)
