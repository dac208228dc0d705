"""Fixed-window counters for throttling (failed logins, request rates).

One port, two adapters chosen by URL: in memory for the all-in-one mode, Redis when
`PORTAL_REDIS_URL` is set, so every replica sees the same counts.
"""

from __future__ import annotations

import math
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass


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
    async def hit(self, key: str, limit: Limit) -> Usage:
        """Count one event against `key` and return the usage including it."""

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

    async def hit(self, key: str, limit: Limit) -> Usage:
        started, count = self._current(key, limit)
        self._windows[key] = (started, count + 1)
        if len(self._windows) > 100_000:  # bound memory: forget finished windows
            self._prune()
        return self._usage(started, count + 1, limit)

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

    async def hit(self, key: str, limit: Limit) -> Usage:
        name = self._prefix + key
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, limit.window_seconds, nx=True)
            pipe.ttl(name)
            count, _, ttl = await pipe.execute()
        return Usage(count=int(count), retry_after=max(1, int(ttl)))

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


def rate_limiter_from_url(url: str | None, *, prefix: str = "portal:rl:") -> RateLimiter:
    if url:
        return RedisRateLimiter(url, prefix=prefix)
    return MemoryRateLimiter()
