"""The outbox relay: publishes committed events and marks them, in order.

Safe with several relays (replicas) on one database: each batch is claimed with
`FOR UPDATE SKIP LOCKED` on PostgreSQL, so two relays never publish the same rows at the
same time. A crash after the broker's confirm but before the mark republishes the batch;
consumers' inboxes absorb such duplicates.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_chassis.bus import BusUnavailable, EventBus
from portal_chassis.envelope import Envelope
from portal_chassis.messaging import MessagingTables
from portal_chassis.metrics import (
    EVENTS_PUBLISHED,
    OUTBOX_BACKLOG,
    OUTBOX_LAG,
    OUTBOX_PUBLISH_FAILURES,
)
from portal_chassis.stopping import cancel_and_wait, wait_event

log = logging.getLogger(__name__)

# The longest pause between tries while the broker is away. Every commit also wakes the
# relay, so a burst of writes during an outage reaches this at once; it bounds how long
# events wait after the broker is back (the bus itself reconnects every 5 s).
MAX_BACKOFF_SECONDS = 5.0


class OutboxRelay:
    def __init__(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        tables: MessagingTables,
        bus: EventBus,
        *,
        service: str,
        poll_seconds: float = 1.0,
        batch_size: int = 200,
    ) -> None:
        self._session_factory = session_factory
        self._outbox = tables.outbox
        self._bus = bus
        self.service = service
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def wake(self) -> None:
        """Called after a commit that wrote events, so they go out without waiting a poll."""
        self._wake.set()

    def start(self) -> None:
        if self._task is None:
            self._stopping = False
            self._task = asyncio.create_task(self._run(), name=f"outbox-relay-{self.service}")

    async def stop(self) -> None:
        """Bounded whatever the database or the broker do: what is not yet published
        stays in the outbox for the next start."""
        task, self._task = self._task, None
        if task is not None:
            self._stopping = True  # ends the loop even if a cancellation is lost
            await cancel_and_wait([task], what=f"outbox relay of {self.service}")

    async def _run(self) -> None:
        backoff = self.poll_seconds
        while not self._stopping:
            try:
                if await self.relay_once() == self.batch_size:
                    continue  # more waiting: keep draining
                backoff = self.poll_seconds
            except BusUnavailable as exc:
                OUTBOX_PUBLISH_FAILURES.labels(self.service).inc()
                log.warning("outbox publish failed; will retry", extra={"error": str(exc)})
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            except Exception:
                log.exception("outbox relay error; will retry")
                backoff = min(backoff * 2, MAX_BACKOFF_SECONDS)
            try:
                await self.update_backlog()  # also (especially) while the broker is away
            except Exception:
                log.warning("outbox backlog not measurable", exc_info=True)
            await wait_event(self._wake, backoff)
            self._wake.clear()

    async def relay_once(self) -> int:
        """Publish one batch of pending events; returns how many were confirmed."""
        outbox = self._outbox
        async with self._session_factory() as session, session.begin():
            rows = (
                await session.execute(
                    select(outbox.c.seq, outbox.c.type, outbox.c.payload)
                    .where(outbox.c.published_at.is_(None))
                    .order_by(outbox.c.seq)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            envelopes = [Envelope.model_validate_json(row.payload) for row in rows]
            await self._bus.publish(envelopes)  # raises: the transaction rolls back
            await session.execute(
                update(outbox)
                .where(outbox.c.seq.in_([row.seq for row in rows]))
                .values(published_at=datetime.now(UTC))
            )
        for row in rows:
            EVENTS_PUBLISHED.labels(self.service, row.type).inc()
        return len(rows)

    async def update_backlog(self) -> None:
        outbox = self._outbox
        async with self._session_factory() as session:
            count, oldest = (
                await session.execute(
                    select(func.count(), func.min(outbox.c.created_at)).where(
                        outbox.c.published_at.is_(None)
                    )
                )
            ).one()
        OUTBOX_BACKLOG.labels(self.service).set(count)
        if oldest is not None and oldest.tzinfo is None:
            oldest = oldest.replace(tzinfo=UTC)
        lag = (datetime.now(UTC) - oldest).total_seconds() if oldest else 0.0
        OUTBOX_LAG.labels(self.service).set(lag)
