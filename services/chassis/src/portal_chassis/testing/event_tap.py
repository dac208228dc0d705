"""A queue of a test's or benchmark's own on the real broker, bound to the namespace's
exchange: every delivery of the chosen event types, with the time it arrived. What the
services committed can then be compared with what went out, event by event."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterable
from typing import Any

import aio_pika
import aio_pika.abc


class EventTap:
    def __init__(self, amqp_url: str, namespace: str, event_types: Iterable[str]) -> None:
        self.amqp_url = amqp_url
        self.exchange = f"{namespace}.events"
        self.event_types = list(event_types)
        self.received: list[tuple[float, dict[str, Any]]] = []  # (monotonic, envelope)

    async def __aenter__(self) -> EventTap:
        self.connection = await aio_pika.connect(self.amqp_url)
        channel = await self.connection.channel()
        # Declared exactly as the services declare it: a mismatch would close the channel.
        exchange = await channel.declare_exchange(
            self.exchange, aio_pika.ExchangeType.TOPIC, durable=True
        )
        queue = await channel.declare_queue(exclusive=True)
        for event_type in self.event_types:
            await queue.bind(exchange, routing_key=event_type)

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            async with message.process():
                self.received.append((time.monotonic(), json.loads(message.body)))

        await queue.consume(keep)
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.connection.close()

    def ids(self) -> list[uuid.UUID]:
        """The envelopes' ids, in arrival order (a repeat appears twice)."""
        return [uuid.UUID(event["id"]) for _, event in self.received]

    def numbers(self) -> set[str]:
        """The tickets the events were about."""
        return {event["data"]["number"] for _, event in self.received}

    async def settle(self, numbers: set[str], timeout: float, *, quiet: float = 3.0) -> None:
        """Until an event arrived for every ticket in `numbers` (or `timeout`), then
        `quiet` seconds longer for any repeat to show."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and not numbers <= self.numbers():
            await asyncio.sleep(0.1)
        await asyncio.sleep(quiet)
