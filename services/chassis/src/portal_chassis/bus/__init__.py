"""Event bus: the port and its adapters, chosen by URL."""

from __future__ import annotations

from portal_chassis.bus.base import BusUnavailable, EventBus, Handler, RetryPolicy, topic_matches
from portal_chassis.bus.memory import InMemoryBus
from portal_chassis.bus.rabbitmq import RabbitMQBus

__all__ = [
    "BusUnavailable",
    "EventBus",
    "Handler",
    "InMemoryBus",
    "RabbitMQBus",
    "RetryPolicy",
    "bus_from_url",
    "topic_matches",
]


def bus_from_url(
    url: str | None, *, retry: RetryPolicy | None = None, namespace: str = "portal"
) -> EventBus:
    if not url or url.startswith("memory:"):
        return InMemoryBus(retry=retry)
    if url.startswith(("amqp://", "amqps://")):
        return RabbitMQBus(url, retry=retry, namespace=namespace)
    raise ValueError(f"unsupported event bus URL scheme: {url.split(':', 1)[0]}")
