"""In-process event bus for the all-in-one mode and fast tests.

Same contract as the RabbitMQ adapter: one queue per consuming service, delivery in the
background, bounded retries with exponential backoff, then a dead-letter list.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Sequence

from portal_chassis.bus.base import EventBus, Handler, RetryPolicy, Subscription, topic_matches
from portal_chassis.envelope import Envelope
from portal_chassis.metrics import EVENTS_DEAD_LETTERED
from portal_chassis.stopping import cancel_and_wait

log = logging.getLogger(__name__)


class InMemoryBus(EventBus):
    def __init__(self, *, retry: RetryPolicy | None = None) -> None:
        super().__init__(retry=retry)
        self._queues: dict[str, asyncio.Queue[tuple[Envelope, int]]] = {}
        self._workers: list[asyncio.Task[None]] = []
        self._pending: set[asyncio.TimerHandle] = set()
        self.dead_letters: dict[str, list[Envelope]] = defaultdict(list)
        self._started = False

    async def start(self) -> None:
        if self._started:
            return
        self._started = True
        for sub in self.subscriptions:
            self._workers.append(asyncio.create_task(self._work(sub, self._queues[sub.queue])))

    def subscribe(self, queue: str, patterns: Sequence[str], handler: Handler) -> None:
        super().subscribe(queue, patterns, handler)
        # The queue exists from now on, like a declared durable queue: what is published
        # before the consumers start waits for them instead of being dropped.
        self._queues[queue] = asyncio.Queue()
        if self._started:  # services of the all-in-one process may join late
            sub = self.subscriptions[-1]
            self._workers.append(asyncio.create_task(self._work(sub, self._queues[queue])))

    async def close(self) -> None:
        for handle in self._pending:
            handle.cancel()
        await cancel_and_wait(self._workers, what="in-memory bus consumers")
        self._workers.clear()
        self._started = False

    def is_ready(self) -> bool:
        return True

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        for envelope in envelopes:
            for sub in self.subscriptions:
                if any(topic_matches(p, envelope.type) for p in sub.patterns):
                    queue = self._queues.get(sub.queue)
                    if queue is not None:
                        queue.put_nowait((envelope.model_copy(), 0))

    async def join(self) -> None:
        """Wait until every queue is drained (tests)."""
        while True:
            await asyncio.gather(*(q.join() for q in self._queues.values()))
            if not self._pending:
                return
            await asyncio.sleep(0.01)  # a retry is scheduled: wait for it to land

    async def _work(self, sub: Subscription, queue: asyncio.Queue[tuple[Envelope, int]]) -> None:
        while True:
            envelope, attempt = await queue.get()
            try:
                await sub.handler(envelope)
            except Exception:
                self._retry_or_dead_letter(sub, queue, envelope, attempt)
            finally:
                queue.task_done()

    def _retry_or_dead_letter(
        self,
        sub: Subscription,
        queue: asyncio.Queue[tuple[Envelope, int]],
        envelope: Envelope,
        attempt: int,
    ) -> None:
        if attempt >= self.retry.max_retries:
            log.error(
                "event dead-lettered", extra={"queue": sub.queue, "event_id": str(envelope.id)}
            )
            self.dead_letters[sub.queue].append(envelope)
            EVENTS_DEAD_LETTERED.labels(sub.queue).inc()
            return
        loop = asyncio.get_running_loop()

        def _requeue() -> None:
            self._pending.discard(handle)
            queue.put_nowait((envelope, attempt + 1))

        handle = loop.call_later(self.retry.delay(attempt + 1), _requeue)
        self._pending.add(handle)
