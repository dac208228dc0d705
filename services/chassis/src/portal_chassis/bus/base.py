"""The event-bus port: publish envelopes, subscribe a service's queue to topics."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from portal_chassis.envelope import Envelope

Handler = Callable[[Envelope], Awaitable[None]]


class BusUnavailable(RuntimeError):
    """The broker cannot take messages right now; the caller keeps them and retries."""


@dataclass(frozen=True)
class Subscription:
    queue: str
    patterns: tuple[str, ...]
    handler: Handler


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 3
    base_seconds: float = 1.0

    def delay(self, attempt: int) -> float:
        """Exponential backoff: base, 2*base, 4*base, ... for attempts 1, 2, 3, ..."""
        return self.base_seconds * 2.0 ** (attempt - 1)


class EventBus(ABC):
    def __init__(self, *, retry: RetryPolicy | None = None) -> None:
        self.retry = retry or RetryPolicy()
        self.subscriptions: list[Subscription] = []

    def subscribe(self, queue: str, patterns: Sequence[str], handler: Handler) -> None:
        """Register a consumer queue; call before `start()`."""
        self.subscriptions.append(Subscription(queue, tuple(patterns), handler))

    @abstractmethod
    async def start(self) -> None: ...

    @abstractmethod
    async def close(self) -> None: ...

    @abstractmethod
    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        """Return only once the broker has taken every envelope; raise otherwise."""

    @abstractmethod
    def is_ready(self) -> bool: ...


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic semantics: `*` is exactly one word, `#` zero or more."""
    pat, key = pattern.split("."), routing_key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(pat):
            return j == len(key)
        if pat[i] == "#":
            return any(match(i + 1, k) for k in range(j, len(key) + 1))
        return j < len(key) and pat[i] in ("*", key[j]) and match(i + 1, j + 1)

    return match(0, 0)
