"""Fixed-window counters for throttling (failed logins, request rates).

One port, two adapters chosen by URL: in memory for the all-in-one mode, Redis when
`PORTAL_REDIS_URL` is set, so every replica sees the same counts. `LocalFirstRateLimiter`
puts a replica's own counts in front of a shared store for limits counted on every
request, where a round trip per request would cost more than the limit is worth.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limit:
    count: int
    window_seconds: int


@dataclass(frozen=True)
class Usage:
    count: int
    retry_after: int  # seconds until the window resets

    def exceeds(self, limit: Limit) -> bool:
        return self.count >= limit.count


class RateLimiter(ABC):
    @abstractmethod
    async def hit(self, key: str, limit: Limit, amount: int = 1) -> Usage:
        """Count `amount` events against `key` and return the usage including them."""

    async def hit_all(self, hits: list[tuple[str, Limit]]) -> list[Usage]:
        """Count one event against each key in one step: parallel callers see the same
        order on every key, so the first `n` on one key are the first `n` on the others.
        Adapters whose single hits can interleave override this."""
        return [await self.hit(key, limit) for key, limit in hits]

    @abstractmethod
    async def peek(self, key: str, limit: Limit) -> Usage: ...

    @abstractmethod
    async def reset(self, key: str) -> None: ...

    async def close(self) -> None:
        return None


class MemoryRateLimiter(RateLimiter):
    def __init__(self) -> None:
        self._windows: dict[str, tuple[float, int]] = {}

    def _current(self, key: str, limit: Limit) -> tuple[float, int]:
        now = time.monotonic()
        started, count = self._windows.get(key, (now, 0))
        if now - started >= limit.window_seconds:
            started, count = now, 0
        return started, count

    def _usage(self, started: float, count: int, limit: Limit) -> Usage:
        left = limit.window_seconds - (time.monotonic() - started)
        return Usage(count=count, retry_after=max(1, math.ceil(left)))

    async def hit(self, key: str, limit: Limit, amount: int = 1) -> Usage:
        # No await between reading and writing the count: one step for the event loop,
        # so concurrent hits each see the count including themselves.
        started, count = self._current(key, limit)
        count = max(0, count + amount)  # a given-back hit never goes below nothing
        self._windows[key] = (started, count)
        if len(self._windows) > 100_000:  # bound memory: forget finished windows
            self._prune()
        return self._usage(started, count, limit)

    async def peek(self, key: str, limit: Limit) -> Usage:
        started, count = self._current(key, limit)
        return self._usage(started, count, limit)

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)

    def _prune(self) -> None:
        now = time.monotonic()
        horizon = 24 * 3600
        self._windows = {k: v for k, v in self._windows.items() if now - v[0] < horizon}


class RedisRateLimiter(RateLimiter):
    def __init__(self, url: str, *, prefix: str = "portal:rl:") -> None:
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._prefix = prefix

    async def hit(self, key: str, limit: Limit, amount: int = 1) -> Usage:
        name = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incrby(name, amount)
            pipe.expire(name, limit.window_seconds, nx=True)
            pipe.ttl(name)
            count, _, ttl = await pipe.execute()
        return Usage(count=int(count), retry_after=max(1, int(ttl)))

    async def hit_all(self, hits: list[tuple[str, Limit]]) -> list[Usage]:
        # One MULTI/EXEC: Redis runs the increments of one caller back to back.
        async with self._redis.pipeline(transaction=True) as pipe:
            for key, limit in hits:
                name = self._prefix + key
                pipe.incrby(name, 1)
                pipe.expire(name, limit.window_seconds, nx=True)
                pipe.ttl(name)
            answers = await pipe.execute()
        return [
            Usage(count=int(answers[i]), retry_after=max(1, int(answers[i + 2])))
            for i in range(0, len(answers), 3)
        ]

    async def peek(self, key: str, limit: Limit) -> Usage:
        name = self._prefix + key
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.get(name)
            pipe.ttl(name)
            count, ttl = await pipe.execute()
        return Usage(count=int(count or 0), retry_after=max(1, int(ttl)))

    async def reset(self, key: str) -> None:
        await self._redis.delete(self._prefix + key)

    async def close(self) -> None:
        await self._redis.aclose()


@dataclass
class _LocalWindow:
    ends: float  # monotonic time the shared window ends (0: not known yet)
    shared: int = 0  # the shared count at the last synchronisation
    pending: int = 0  # hits of this replica not yet added to the shared count
    synced_at: float = field(default_factory=time.monotonic)


class LocalFirstRateLimiter(RateLimiter):
    """Counts in this process and adds the hits to the shared store in batches: at least
    every `sync_seconds` per key, and on every hit once a key has used half its limit.

    Far from the limit a request costs no round trip; near it every hit is counted in
    the shared store, so refusals are as exact as the store's. What other replicas
    counted since the last synchronisation is seen late: at most `sync_seconds` of
    their traffic can pass beyond the limit.
    """

    def __init__(self, shared: RateLimiter, *, sync_seconds: float = 1.0) -> None:
        self._shared = shared
        self._sync_seconds = sync_seconds
        self._windows: dict[str, _LocalWindow] = {}

    async def hit(self, key: str, limit: Limit, amount: int = 1) -> Usage:
        now = time.monotonic()
        window = self._windows.get(key)
        if window is None or (window.ends and now >= window.ends):
            window = self._windows[key] = _LocalWindow(ends=0)
            if len(self._windows) > 100_000:
                self._windows = {k: w for k, w in self._windows.items() if w.ends > now}
        window.pending += amount
        estimate = window.shared + window.pending
        if (
            window.ends
            and estimate * 2 < limit.count
            and now - window.synced_at < self._sync_seconds
        ):
            return Usage(count=estimate, retry_after=max(1, math.ceil(window.ends - now)))
        pending, window.pending = window.pending, 0
        try:
            usage = await self._shared.hit(key, limit, pending)
        except Exception:
            window.pending += pending  # counted next time the store answers
            raise
        window.shared = usage.count - window.pending
        window.ends = time.monotonic() + usage.retry_after
        window.synced_at = time.monotonic()
        return Usage(count=usage.count + window.pending, retry_after=usage.retry_after)

    async def peek(self, key: str, limit: Limit) -> Usage:
        usage = await self._shared.peek(key, limit)
        window = self._windows.get(key)
        return Usage(usage.count + (window.pending if window else 0), usage.retry_after)

    async def reset(self, key: str) -> None:
        self._windows.pop(key, None)
        await self._shared.reset(key)

    async def close(self) -> None:
        await self._shared.close()


def rate_limiter_from_url(url: str | None, *, prefix: str = "portal:rl:") -> RateLimiter:
    if url:
        return RedisRateLimiter(url, prefix=prefix)
    return MemoryRateLimiter()
