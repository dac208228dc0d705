"""RabbitMQ adapter (aio-pika).

Topology, per namespace (default `portal`):

* `<ns>.events`      durable topic exchange; routing key = event type.
* `<ns>.<service>`   one durable queue per consuming service, bound to its patterns,
                     dead-lettering into `<ns>.dlx` with the queue's name as routing key.
* `<ns>.<service>.retry.<ms>`  one delay queue per retry step; messages wait out the TTL
                     there and are dead-lettered straight back to the service queue (and
                     to no other service's queue).
* `<ns>.<service>.dlq`  where a message lands after the last retry, for inspection and
                     re-queueing.

Publishing uses publisher confirms; the connection is robust (reconnects and restores
the topology and consumers by itself).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence

import aio_pika
from aio_pika.abc import (
    AbstractChannel,
    AbstractExchange,
    AbstractIncomingMessage,
    AbstractQueue,
    AbstractRobustChannel,
    AbstractRobustConnection,
)

from portal_chassis.bus.base import BusUnavailable, EventBus, RetryPolicy, Subscription
from portal_chassis.envelope import Envelope
from portal_chassis.metrics import EVENTS_DEAD_LETTERED
from portal_chassis.stopping import cancel_and_wait

log = logging.getLogger(__name__)

CLOSE_TIMEOUT_SECONDS = 5.0

ATTEMPT_HEADER = "x-portal-attempt"
# A message join() sends through each of this bus' queues; it reaches no handler.
BARRIER_HEADER = "x-portal-barrier"
BARRIER_TIMEOUT_SECONDS = 60.0


class RabbitMQBus(EventBus):
    def __init__(
        self,
        url: str,
        *,
        namespace: str = "portal",
        retry: RetryPolicy | None = None,
        prefetch: int = 32,
        publish_timeout: float = 10.0,
    ) -> None:
        super().__init__(retry=retry)
        self.url = url
        self.namespace = namespace
        self.prefetch = prefetch
        self.publish_timeout = publish_timeout
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractExchange | None = None
        self._connector: asyncio.Task[None] | None = None
        self._consuming = asyncio.Event()
        self._in_flight = 0
        # Messages this bus sent to a delay queue and has not seen come back yet (join()).
        self._waiting_retry = 0
        # join()'s barriers on their way: token -> queues they have not come out of yet.
        self._barriers: dict[str, set[str]] = {}
        self._barrier_passed = asyncio.Event()

    @property
    def exchange_name(self) -> str:
        return f"{self.namespace}.events"

    @property
    def dlx_name(self) -> str:
        return f"{self.namespace}.dlx"

    def queue_name(self, queue: str) -> str:
        return f"{self.namespace}.{queue}"

    async def start(self) -> None:
        # Connect in the background: a service must start (and keep taking writes into its
        # outbox) while the broker is down.
        if self._connector is None:
            self._connector = asyncio.create_task(self._connect_forever())

    async def wait_ready(self, timeout: float = 30.0) -> None:
        await asyncio.wait_for(self._consuming.wait(), timeout)

    async def _connect_forever(self) -> None:
        delay = 0.5
        while True:
            try:
                connection = await aio_pika.connect_robust(self.url)
                break
            except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
                log.warning("broker unreachable, retrying", extra={"error": str(exc)})
                await asyncio.sleep(delay)
                delay = min(delay * 2, 15.0)
        self._connection = connection
        self._channel = await connection.channel(publisher_confirms=True)
        self._exchange = await self._declare_exchanges(self._channel)

        async def consume(sub: Subscription) -> None:
            channel = await connection.channel(publisher_confirms=True)
            await channel.set_qos(prefetch_count=self.prefetch)
            queue = await self._declare_queues(channel, sub)
            await queue.consume(self._on_message(channel, sub))

        # A channel each, declared side by side: a start waits for one service's round
        # trips to the broker, not for all of them in a row.
        await asyncio.gather(*(consume(sub) for sub in self.subscriptions))
        self._consuming.set()

    async def declare(self) -> None:
        """Declare the exchanges and this bus' queues, without consuming: run at deploy
        time (`portal migrate`) so a consumer's queue exists, and collects its events,
        before the consumer first starts."""
        connection = await aio_pika.connect(self.url)
        try:
            channel = await connection.channel()
            await self._declare_exchanges(channel)
            for sub in self.subscriptions:
                await self._declare_queues(channel, sub)
        finally:
            await connection.close()

    async def _declare_exchanges(self, channel: AbstractChannel) -> AbstractExchange:
        exchange = await channel.declare_exchange(
            self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
        )
        await channel.declare_exchange(self.dlx_name, aio_pika.ExchangeType.DIRECT, durable=True)
        return exchange

    async def _declare_queues(self, channel: AbstractChannel, sub: Subscription) -> AbstractQueue:
        name = self.queue_name(sub.queue)
        dlq = await channel.declare_queue(f"{name}.dlq", durable=True)
        await dlq.bind(self.dlx_name, routing_key=name)
        queue = await channel.declare_queue(
            name,
            durable=True,
            arguments={"x-dead-letter-exchange": self.dlx_name, "x-dead-letter-routing-key": name},
        )
        for pattern in sub.patterns:
            await queue.bind(self.exchange_name, routing_key=pattern)
        for attempt in range(1, self.retry.max_retries + 1):
            await channel.declare_queue(
                self._retry_queue(name, attempt),
                durable=True,
                arguments={
                    "x-message-ttl": self._delay_ms(attempt),
                    "x-dead-letter-exchange": "",
                    "x-dead-letter-routing-key": name,
                },
            )
        return queue

    def _on_message(
        self, channel: AbstractChannel, sub: Subscription
    ) -> Callable[[AbstractIncomingMessage], Awaitable[None]]:
        name = self.queue_name(sub.queue)

        async def on_message(message: AbstractIncomingMessage) -> None:
            await self._deliver(channel, name, sub, message)

        return on_message

    def _delay_ms(self, attempt: int) -> int:
        return int(self.retry.delay(attempt) * 1000)

    def _retry_queue(self, name: str, attempt: int) -> str:
        # The delay is part of the name: queue arguments cannot change once declared.
        return f"{name}.retry.{self._delay_ms(attempt)}ms"

    async def _deliver(
        self,
        channel: AbstractChannel,
        name: str,
        sub: Subscription,
        message: AbstractIncomingMessage,
    ) -> None:
        barrier = (message.headers or {}).get(BARRIER_HEADER)
        if barrier is not None:
            await message.ack()
            self._barrier_arrived(name, str(barrier))
            return
        self._in_flight += 1
        if (message.headers or {}).get(ATTEMPT_HEADER) and self._waiting_retry > 0:
            self._waiting_retry -= 1
        try:
            await self._handle(channel, name, sub, message)
        finally:
            self._in_flight -= 1

    async def _handle(
        self,
        channel: AbstractChannel,
        name: str,
        sub: Subscription,
        message: AbstractIncomingMessage,
    ) -> None:
        try:
            envelope = Envelope.from_json(message.body)
        except ValueError:
            log.error("malformed message dead-lettered", extra={"queue": name})
            EVENTS_DEAD_LETTERED.labels(sub.queue).inc()
            await message.reject(requeue=False)
            return
        try:
            await sub.handler(envelope)
        except Exception:
            attempt = int(str((message.headers or {}).get(ATTEMPT_HEADER) or 0)) + 1
            if attempt > self.retry.max_retries:
                log.error(
                    "event dead-lettered after retries",
                    extra={"queue": name, "event_id": str(envelope.id), "type": envelope.type},
                )
                EVENTS_DEAD_LETTERED.labels(sub.queue).inc()
                await message.reject(requeue=False)
                return
            retry = aio_pika.Message(
                message.body,
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                message_id=message.message_id,
                type=message.type,
                correlation_id=message.correlation_id,
                headers={**(message.headers or {}), ATTEMPT_HEADER: attempt},
            )
            # Confirmed re-publish first, ack second: a crash in between duplicates the
            # message (the consumer's inbox absorbs that) but never loses it.
            try:
                await channel.default_exchange.publish(
                    retry, routing_key=self._retry_queue(name, attempt)
                )
                self._waiting_retry += 1
                await message.ack()
            except (aio_pika.exceptions.AMQPError, RuntimeError) as exc:
                # The connection went away: unacknowledged, the message is delivered
                # again once it is back.
                log.warning(
                    "could not schedule a retry; the broker redelivers the event",
                    extra={"queue": name, "event_id": str(envelope.id), "error": repr(exc)},
                )
        else:
            await message.ack()

    async def publish(self, envelopes: Sequence[Envelope]) -> None:
        if self._exchange is None or self._connection is None or self._connection.is_closed:
            raise BusUnavailable("not connected to the broker")
        exchange = self._exchange
        try:
            await asyncio.wait_for(
                asyncio.gather(
                    *(
                        exchange.publish(_to_message(e), routing_key=e.type, mandatory=False)
                        for e in envelopes
                    )
                ),
                timeout=self.publish_timeout,
            )
        except (TimeoutError, aio_pika.exceptions.AMQPError, OSError, RuntimeError) as exc:
            raise BusUnavailable(str(exc) or type(exc).__name__) from exc

    def is_ready(self) -> bool:
        return (
            self._consuming.is_set()
            and self._connection is not None
            and not self._connection.is_closed
        )

    async def close(self) -> None:
        if self._connector is not None:
            await cancel_and_wait([self._connector], what="broker connector")
            self._connector = None
        if self._connection is not None:
            # A connection in the middle of reconnecting may never finish closing: a
            # stopping process must not wait on it for ever.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._connection.close(), timeout=CLOSE_TIMEOUT_SECONDS)
            self._connection = None
        self._exchange = None
        self._consuming.clear()

    async def join(self) -> None:
        """Wait until everything published before the call has been handled, retries
        included (tests and benchmarks).

        A queue's depth cannot tell: a message the broker has handed to this client but
        the client has not started on counts nowhere. So a barrier message goes through
        each of this bus' queues behind what they hold; once every barrier came out, all
        that was before it has at least started (deliveries start in order), and
        `_in_flight` counts what has not finished."""
        while True:
            await self._pass_barriers()
            if self._in_flight == 0 and self._waiting_retry == 0:
                return
            await asyncio.sleep(0.02)

    async def _pass_barriers(self) -> None:
        assert self._channel is not None
        token = uuid.uuid4().hex
        names = {self.queue_name(sub.queue) for sub in self.subscriptions}
        self._barriers[token] = set(names)
        try:
            for name in names:
                await self._channel.default_exchange.publish(
                    aio_pika.Message(b"", headers={BARRIER_HEADER: token}), routing_key=name
                )
            async with asyncio.timeout(BARRIER_TIMEOUT_SECONDS):
                while self._barriers[token]:
                    self._barrier_passed.clear()
                    await self._barrier_passed.wait()
        finally:
            del self._barriers[token]

    def _barrier_arrived(self, name: str, token: str) -> None:
        self._barriers.get(token, set()).discard(name)
        self._barrier_passed.set()

    def queue_names(self, queue: str) -> list[str]:
        """Every broker queue declared for one consuming service."""
        name = self.queue_name(queue)
        retries = [self._retry_queue(name, a) for a in range(1, self.retry.max_retries + 1)]
        return [name, f"{name}.dlq", *retries]


def _to_message(envelope: Envelope) -> aio_pika.Message:
    return aio_pika.Message(
        envelope.to_json(),
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=str(envelope.id),
        type=envelope.type,
        correlation_id=envelope.correlation_id,
        timestamp=envelope.occurred_at,
    )
