"""`portal dlq`: list, re-queue and purge the events a service's consumer gave up on.

Dead letters exist only on RabbitMQ (see `bus/rabbitmq.py`): after its last retry a
message is rejected from `<ns>.<service>` and lands in `<ns>.<service>.dlq`. Re-queueing
publishes it to the default exchange with the service queue's name as routing key, so it
reaches that service alone and not every service bound to the topic exchange.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractConnection, AbstractIncomingMessage, AbstractQueue
from pamqp.commands import Basic

from portal_chassis import registry
from portal_chassis.bus.rabbitmq import ATTEMPT_HEADER, RabbitMQBus
from portal_chassis.envelope import Envelope
from portal_chassis.settings import PortalSettings

# Headers the broker adds when it dead-letters a message. A re-queued message starts
# afresh: stale ones would make the next `dlq list` show the first death, not the last.
_DEATH_PREFIXES = ("x-death", "x-first-death-", "x-last-death-")


class DlqError(Exception):
    """An operator's mistake or an unreachable broker: a message, never a traceback."""


class QueueMissing(DlqError):
    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


@dataclass(frozen=True)
class Queues:
    """The broker queues of one consuming service."""

    service: str
    work: str
    dead: str

    @classmethod
    def of(cls, service: str, namespace: str) -> Queues:
        work = RabbitMQBus("", namespace=namespace).queue_name(service)
        return cls(service=service, work=work, dead=f"{work}.dlq")


@dataclass(frozen=True)
class DeadLetter:
    event_id: str
    type: str
    died_at: datetime | None
    reason: str
    queue: str
    retries: int

    def line(self) -> str:
        died = self.died_at.isoformat() if self.died_at else "unknown time"
        return (
            f"{self.event_id}  {self.type}  died {died}  "
            f"{self.reason} in {self.queue}  after {self.retries} retries"
        )


def describe(message: AbstractIncomingMessage) -> DeadLetter:
    headers: dict[str, Any] = dict(message.headers or {})
    event_id, event_type = message.message_id, message.type
    if not event_id or not event_type:
        try:
            envelope = Envelope.from_json(message.body)
            event_id, event_type = str(envelope.id), envelope.type
        except ValueError:  # a malformed body is dead-lettered at once, without an id
            pass
    deaths = headers.get("x-death") or [{}]
    last = deaths[0] if isinstance(deaths, list) and deaths else {}  # newest first
    return DeadLetter(
        event_id=event_id or "-",
        type=event_type or "-",
        died_at=last.get("time") if isinstance(last.get("time"), datetime) else None,
        reason=str(last.get("reason") or headers.get("x-first-death-reason") or "-"),
        queue=str(last.get("queue") or headers.get("x-first-death-queue") or "-"),
        retries=int(headers.get(ATTEMPT_HEADER) or 0),
    )


def _revived(message: AbstractIncomingMessage) -> aio_pika.Message:
    headers = {
        key: value
        for key, value in (message.headers or {}).items()
        if key != ATTEMPT_HEADER and not key.startswith(_DEATH_PREFIXES)
    }
    return aio_pika.Message(
        message.body,
        headers=headers,
        content_type=message.content_type,
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
        message_id=message.message_id,
        type=message.type,
        correlation_id=message.correlation_id,
        timestamp=message.timestamp,
    )


async def _passive(channel: AbstractChannel, name: str) -> AbstractQueue:
    try:
        return await channel.declare_queue(name, passive=True)
    except aio_pika.exceptions.ChannelNotFoundEntity:
        raise QueueMissing(name) from None


async def count(connection: AbstractConnection, queues: Queues) -> int:
    # A failed passive declaration closes its channel, hence one channel per question.
    async with connection.channel() as channel:
        dead = await _passive(channel, queues.dead)
        return dead.declaration_result.message_count or 0


async def peek(connection: AbstractConnection, queues: Queues, limit: int) -> list[DeadLetter]:
    """The first `limit` dead letters, left where they are and in their order."""
    async with connection.channel() as channel:
        dead = await _passive(channel, queues.dead)
        taken: list[AbstractIncomingMessage] = []
        try:
            while len(taken) < limit:
                message = await dead.get(no_ack=False, fail=False)
                if message is None:
                    break
                taken.append(message)
            return [describe(m) for m in taken]
        finally:
            if taken:  # requeued messages return to their original positions
                await taken[-1].nack(multiple=True, requeue=True)


async def requeue(
    connection: AbstractConnection,
    queues: Queues,
    *,
    limit: int | None = None,
    ids: Iterable[str] = (),
    moved: Callable[[DeadLetter], None] = lambda _letter: None,
) -> list[DeadLetter]:
    """Move dead letters back to the service queue, each acked only after the broker
    confirmed its copy: an interruption at worst duplicates one (the inbox absorbs it)."""
    wanted = {i.lower() for i in ids}
    done: list[DeadLetter] = []
    async with connection.channel(publisher_confirms=True) as channel:
        await _passive(channel, queues.work)  # nowhere to put them otherwise
        dead = await _passive(channel, queues.dead)
        # Walk only what is there now: a message that fails again at once would come
        # back behind us and be moved round in circles.
        backlog = dead.declaration_result.message_count or 0
        kept: list[AbstractIncomingMessage] = []
        try:
            for _ in range(backlog):
                if limit is not None and len(done) >= limit:
                    break
                message = await dead.get(no_ack=False, fail=False)
                if message is None:
                    break
                letter = describe(message)
                if wanted and letter.event_id.lower() not in wanted:
                    kept.append(message)
                    continue
                try:
                    confirm = await channel.default_exchange.publish(
                        _revived(message), routing_key=queues.work, mandatory=True
                    )
                except aio_pika.exceptions.DeliveryError:  # the broker's nack
                    confirm = None
                # Only a broker ack counts: a returned (unroutable) message is no copy.
                if not isinstance(confirm, Basic.Ack):
                    kept.append(message)
                    raise DlqError(f"the broker did not take {letter.event_id}; it stays")
                await message.ack()
                done.append(letter)
                moved(letter)
        finally:
            for message in kept:
                await message.nack(requeue=True)
    return done


async def purge(connection: AbstractConnection, queues: Queues) -> int:
    async with connection.channel() as channel:
        dead = await _passive(channel, queues.dead)
        result = await dead.purge()
        return result.message_count or 0


# --- the command ---------------------------------------------------------------------


def _where(url: str) -> str:
    parts = urlsplit(url)  # never print the password
    return f"{parts.hostname or 'localhost'}:{parts.port or 5672}{parts.path or '/'}"


def _check(services: Sequence[str]) -> list[str]:
    # Every portal service, installed here or not: a service's image holds only its own
    # package, yet an operator in any pod may look after every queue.
    for name in services:
        if name not in registry.SERVICE_ORDER:
            raise DlqError(
                f"unknown service {name!r}: the services are {', '.join(registry.SERVICE_ORDER)}"
            )
    return list(services)


async def _connect(url: str) -> AbstractConnection:
    try:
        return await aio_pika.connect(url, timeout=10)
    except (TimeoutError, OSError, aio_pika.exceptions.AMQPError) as exc:
        raise DlqError(f"cannot reach the broker at {_where(url)}: {exc}") from None


_WHY_MISSING = " (the service consumes no events, or `portal migrate` has not declared it)"


def _missing(exc: QueueMissing) -> DlqError:
    return DlqError(f"no queue {exc.name}{_WHY_MISSING}")


async def _list(connection: AbstractConnection, args: argparse.Namespace, ns: str) -> None:
    named = bool(args.services)
    shown = 0
    for service in _check(args.services or registry.SERVICE_ORDER):
        queues = Queues.of(service, ns)
        try:
            total = await count(connection, queues)
        except QueueMissing:
            if named:  # unasked, a service that consumes nothing is simply left out
                print(f"{service}: no queue {queues.dead}{_WHY_MISSING}")
            continue
        shown += 1
        print(f"{service}: {total} dead letter(s) in {queues.dead}")
        if args.show and total:
            for index, letter in enumerate(await peek(connection, queues, args.show), start=1):
                print(f"  {index:>3}  {letter.line()}")
    if not named and not shown:
        print(f"no dead-letter queues in namespace {ns!r} (`portal migrate` declares them)")


async def _requeue(connection: AbstractConnection, args: argparse.Namespace, ns: str) -> None:
    (service,) = _check([args.service])
    queues = Queues.of(service, ns)
    try:
        done = await requeue(
            connection,
            queues,
            limit=args.limit,
            ids=args.ids or (),
            moved=lambda letter: print(f"requeued {letter.event_id}  {letter.type}"),
        )
    except QueueMissing as exc:
        raise _missing(exc) from None
    print(f"{service}: {len(done)} dead letter(s) moved back to {queues.work}")
    missed = sorted({i.lower() for i in args.ids or ()} - {d.event_id.lower() for d in done})
    if missed:
        raise DlqError(f"not in {queues.dead}: {', '.join(missed)}")


async def _purge(connection: AbstractConnection, args: argparse.Namespace, ns: str) -> None:
    (service,) = _check([args.service])
    queues = Queues.of(service, ns)
    try:
        if not args.yes:
            total = await count(connection, queues)
            raise DlqError(
                f"this drops {total} dead letter(s) of {service} for good; add --yes to do it"
            )
        dropped = await purge(connection, queues)
    except QueueMissing as exc:
        raise _missing(exc) from None
    print(f"{service}: {dropped} dead letter(s) dropped from {queues.dead}")


_ACTIONS = {"list": _list, "requeue": _requeue, "purge": _purge}


async def run(args: argparse.Namespace, portal: PortalSettings) -> None:
    if not portal.amqp_url:
        raise DlqError(
            "PORTAL_AMQP_URL is unset: dead letters exist only on RabbitMQ "
            "(the in-memory bus of `portal dev` keeps none)"
        )
    connection = await _connect(portal.amqp_url)
    try:
        await _ACTIONS[args.dlq_command](connection, args, portal.event_namespace)
    finally:
        await connection.close()


def cmd_dlq(args: argparse.Namespace) -> None:
    # The AMQP client would log a refused connection once more, beside our own message.
    logging.getLogger("aiormq").setLevel(logging.CRITICAL)
    try:
        asyncio.run(run(args, PortalSettings()))
    except DlqError as exc:
        raise SystemExit(f"portal dlq: {exc}") from None


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


def add_parser(sub: Any) -> None:
    """Register `portal dlq` on the `portal` program's subcommands."""
    dlq = sub.add_parser("dlq", help="list, re-queue or purge dead-lettered events (RabbitMQ)")
    actions = dlq.add_subparsers(dest="dlq_command", required=True)
    listing = actions.add_parser("list", help="dead letters per service, left in place")
    listing.add_argument("services", nargs="*", metavar="service", help="default: every one")
    listing.add_argument("--show", type=_positive, default=0, metavar="N", help="show the first N")
    again = actions.add_parser("requeue", help="move dead letters back to the service's queue")
    again.add_argument("service")
    again.add_argument("--limit", type=_positive, metavar="N", help="move at most N (oldest first)")
    again.add_argument(
        "--id", dest="ids", action="extend", nargs="+", metavar="EVENT_ID", help="only these"
    )
    drop = actions.add_parser("purge", help="drop a service's dead letters")
    drop.add_argument("service")
    drop.add_argument("--yes", action="store_true", help="really drop them")
    dlq.set_defaults(func=cmd_dlq)
