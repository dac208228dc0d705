"""Wakes open event streams when their user has something new.

Within one process the streams wait on asyncio events; with Redis configured, every
replica of the service also hears about notifications written by the others. A lost
wake-up only delays delivery until the stream's next heartbeat, when it looks anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from portal_chassis.runtime import Runtime

log = logging.getLogger(__name__)


class Hub:
    def __init__(self, redis_url: str | None, channel: str) -> None:
        self._waiting: dict[uuid.UUID, set[asyncio.Event]] = defaultdict(set)
        self._redis_url = redis_url
        self._channel = channel
        self._redis: Any = None  # redis.asyncio.Redis once run() connects

    @contextlib.contextmanager
    def listen(self, user_id: uuid.UUID) -> Iterator[asyncio.Event]:
        wake = asyncio.Event()
        self._waiting[user_id].add(wake)
        try:
            yield wake
        finally:
            self._waiting[user_id].discard(wake)
            if not self._waiting[user_id]:
                del self._waiting[user_id]

    def _wake_local(self, user_ids: Iterable[uuid.UUID]) -> None:
        for user_id in user_ids:
            for wake in self._waiting.get(user_id, ()):
                wake.set()

    async def publish(self, user_ids: Iterable[uuid.UUID]) -> None:
        ids = list(set(user_ids))
        if not ids:
            return
        if self._redis is None:
            self._wake_local(ids)
            return
        try:
            await self._redis.publish(self._channel, " ".join(str(i) for i in ids))
        except Exception:
            log.warning("could not publish stream wake-ups; streams catch up on heartbeat")
            self._wake_local(ids)

    async def run(self) -> None:
        """Relay wake-ups from Redis to this process's streams (a background job)."""
        if not self._redis_url:
            return
        from redis.asyncio import Redis

        self._redis = Redis.from_url(self._redis_url)
        while True:
            try:
                async with self._redis.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            ids = message["data"].decode().split()
                            self._wake_local(uuid.UUID(i) for i in ids)
            except asyncio.CancelledError:
                await self._redis.aclose()
                raise
            except Exception:
                log.warning("lost the wake-up channel; reconnecting")
                await asyncio.sleep(1.0)


# The running service's hub, made at start-up (module.start_hub).
_HUB = "hub"


def keep_hub(runtime: Runtime, hub: Hub) -> None:
    runtime.state[_HUB] = hub


def hub_of(runtime: Runtime) -> Hub:
    """The hub that wakes this process's open event streams."""
    return cast(Hub, runtime.state[_HUB])
