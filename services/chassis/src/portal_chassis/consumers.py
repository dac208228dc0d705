"""Event consumers: one decorated async function per reaction, deduplicated by the inbox.

A consumer names the fields it reads as a small model (`reads=`), a subclass of
`EventFacts`; the dispatcher validates the event's data against it and hands the handler
the typed facts. A contract test checks every such model against the producer's schema
in docs/asyncapi.yaml, so a renamed or dropped field fails a test, not a delivery.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import IntegrityError

from portal_chassis import context
from portal_chassis.bus import topic_matches
from portal_chassis.envelope import Envelope
from portal_chassis.metrics import EVENTS_CONSUMED, EVENTS_DUPLICATE, EVENTS_FAILED
from portal_chassis.uow import UnitOfWork

log = logging.getLogger(__name__)

ConsumerFn = Callable[..., Awaitable[None]]


class EventFacts(BaseModel):
    """The part of an event's data one consumer reads; other fields are ignored, so a
    producer may add fields without touching its consumers."""

    model_config = ConfigDict(extra="ignore", frozen=True)


@dataclass(frozen=True)
class Consumer:
    name: str
    patterns: tuple[str, ...]
    handler: ConsumerFn
    reads: type[EventFacts] | None = None
    uses_runtime: bool = False

    async def handle(self, envelope: Envelope, uow: Any, runtime: Any = None) -> None:
        args: list[Any] = [envelope, uow]
        if self.reads is not None:
            args.append(self.reads.model_validate(envelope.data))
        if self.uses_runtime:
            args.append(runtime)
        await self.handler(*args)

    def wants(self, event_type: str) -> bool:
        return any(topic_matches(p, event_type) for p in self.patterns)


def consumer(
    *patterns: str,
    name: str | None = None,
    reads: type[EventFacts] | None = None,
    uses_runtime: bool = False,
) -> Callable[[ConsumerFn], Consumer]:
    """Declare `async def handler(event: Envelope, uow[, facts][, runtime]) -> None` as
    a consumer of `patterns`; with `reads=Model` the handler gets the event's data as
    `Model`, with `uses_runtime=True` the running service (for a consumer whose effect
    goes beyond its database: enqueuing a task, waking a live stream). The unit of work
    itself knows nothing of the runtime.

    The handler does its work through `uow` (entering it and committing as any use case
    does); the event is recorded in the inbox in that same transaction.
    """

    def wrap(fn: ConsumerFn) -> Consumer:
        return Consumer(
            name=name or f"{fn.__module__}.{fn.__qualname__}",
            patterns=patterns,
            handler=fn,
            reads=reads,
            uses_runtime=uses_runtime,
        )

    return wrap


class Dispatcher:
    """Delivers one envelope to each interested consumer of a service, at most once each."""

    def __init__(
        self,
        *,
        service: str,
        consumers: Sequence[Consumer],
        uow: Callable[[], UnitOfWork],
        runtime: Any = None,
    ) -> None:
        self.service = service
        self.consumers = list(consumers)
        self._uow = uow
        self._runtime = runtime  # handed only to consumers declared `uses_runtime=True`

    @property
    def patterns(self) -> list[str]:
        return sorted({p for c in self.consumers for p in c.patterns})

    async def __call__(self, envelope: Envelope) -> None:
        context.correlation_id.set(envelope.correlation_id)
        context.request_id.set(None)
        for c in self.consumers:
            if c.wants(envelope.type):
                await self._run(c, envelope)

    async def _run(self, c: Consumer, envelope: Envelope) -> None:
        uow = self._uow()
        uow.processing(envelope.id, c.name)
        if await uow.already_processed():
            EVENTS_DUPLICATE.labels(self.service, c.name).inc()
            return
        try:
            await c.handle(envelope, uow, self._runtime)
            if not uow.inbox_recorded:  # the handler had nothing to write
                async with uow:
                    await uow.commit()
        except IntegrityError:
            # A concurrent delivery of the same event won the inbox row.
            if await uow.already_processed():
                EVENTS_DUPLICATE.labels(self.service, c.name).inc()
                return
            EVENTS_FAILED.labels(self.service, c.name).inc()
            raise
        except Exception:
            EVENTS_FAILED.labels(self.service, c.name).inc()
            log.exception(
                "consumer failed",
                extra={"consumer": c.name, "event_id": str(envelope.id), "type": envelope.type},
            )
            raise
        EVENTS_CONSUMED.labels(self.service, c.name).inc()
        log.info(
            "event consumed",
            extra={"consumer": c.name, "event_id": str(envelope.id), "type": envelope.type},
        )
