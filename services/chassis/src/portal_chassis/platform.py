"""What the process hosting a service provides to it.

In distributed mode each process builds its own (empty) platform: the service makes its
own bus from `PORTAL_AMQP_URL` and reaches identity over HTTP. The all-in-one process
shares one in-memory bus and hands in-process transports to everyone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from fastapi import FastAPI

from portal_chassis.bus import EventBus


@dataclass
class Platform:
    bus: EventBus | None = None
    # name -> transport to that service (in-process ASGI transports in all-in-one mode)
    transports: dict[str, httpx.AsyncBaseTransport] = field(default_factory=dict)
    # Apps whose lifespans the hosting app runs (all-in-one mode), in start order.
    embedded: dict[str, FastAPI] = field(default_factory=dict)
    after_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
