"""Read-your-writes across services: a read model that misses a key asks its owner.

A service learns another's facts from events (a read model, see readmodel.py), which
arrive milliseconds after the change in the all-in-one mode and later through a broker.
A client that creates a ticket and at once opens its case folders must not hear that the
ticket does not exist. So where a read model does not know a key, the service asks the
owning service once, on an internal endpoint (`/internal/v1/…`: the gateway routes no
/internal path, like identity's revocations), and keeps the answer with the owner's
`as_of` under the rule events follow (`upsert_latest`): an older event arriving later
changes nothing, a newer one still wins. The owner's 404 means the key does not exist;
an owner that does not answer within `FETCH_SECONDS` leaves the miss in force (the
events will come), logged and counted, so an outage slows nothing down for long.

A service declares what it fetches (a `Source`); its runtime's `read_throughs` do the
asking (`fetcher(runtime, source)` gives a unit of work the fetch function). The fetched
row then feeds the same permission functions as any other.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
from prometheus_client import Counter
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from portal_chassis.readmodel import upsert_latest

log = logging.getLogger(__name__)

# Long enough for a busy owner, short enough that a request waiting on a down owner
# still answers well within the gateway's upstream timeout.
FETCH_SECONDS = 2.0

READ_THROUGH_FETCHES = Counter(
    "portal_read_through_fetches_total",
    "Read-model misses asked of the owning service, by outcome (found, unknown, failed).",
    ["service", "owner", "outcome"],
)


@dataclass(frozen=True)
class Source:
    """What a read model fetches from its owner on a miss."""

    owner: str  # the owning service, e.g. "tickets" (see ServiceSettings.urls_of)
    path: str  # its internal endpoint; `{key}` stands for the missed key
    model: type[Any]  # the read model's row class, with an `as_of` column
    # The owner's answer (JSON) -> the row's column values, `as_of` included.
    fields: Callable[[dict[str, Any]], dict[str, Any]]
    key: str = "id"  # the row's primary-key column: the upsert and the re-read go by it


class ReadThrough:
    def __init__(
        self,
        source: Source,
        *,
        service: str,
        urls: Sequence[str],
        client: Callable[[], httpx.AsyncClient],
        session_factory: async_sessionmaker[AsyncSession],
        timeout: float = FETCH_SECONDS,
    ) -> None:
        self.source = source
        self.service = service
        self.urls = list(urls)
        self._client = client
        self._session_factory = session_factory
        self.timeout = timeout

    async def fetch(self, key: str) -> Any | None:
        """The row for `key` as the owner has it now, also stored in the read model; None
        if the owner does not know `key` or did not answer in time."""
        owner = self.source.owner
        started = time.monotonic()
        try:
            # asyncio.timeout, not wait_for: a cancelled request must stay cancelled.
            async with asyncio.timeout(self.timeout):
                answer = await self._ask(key)
        except Exception as exc:  # any failure leaves the miss in force
            READ_THROUGH_FETCHES.labels(self.service, owner, "failed").inc()
            log.warning(
                "read-through failed; the read model's miss stands",
                extra={"owner": owner, "path": self.source.path, "error": repr(exc)},
            )
            return None
        outcome = "unknown" if answer is None else "found"
        READ_THROUGH_FETCHES.labels(self.service, owner, outcome).inc()
        log.info(
            "read model miss asked of its owner",
            extra={
                "owner": owner,
                "path": self.source.path,
                "outcome": outcome,
                "duration_ms": round((time.monotonic() - started) * 1000, 1),
            },
        )
        return None if answer is None else await self._keep(self.source.fields(answer))

    async def _ask(self, key: str) -> dict[str, Any] | None:
        path = self.source.path.format(key=quote(key, safe=""))
        failure: Exception = RuntimeError(f"no URL for {self.source.owner}")
        async with self._client() as client:
            for url in self.urls:  # replicas of the owner: the first that answers
                try:
                    response = await client.get(f"{url}{path}")
                    if response.status_code == 404:
                        return None
                    response.raise_for_status()
                    answer: dict[str, Any] = response.json()
                    return answer
                except httpx.HTTPError as exc:
                    failure = exc
        raise failure

    async def _keep(self, fields: dict[str, Any]) -> Any:
        model, key = self.source.model, self.source.key
        # A transaction of its own: the caller's may be read-only (rolled back at its end),
        # and the row should outlive it until the events catch up.
        async with self._session_factory() as session:
            try:
                await upsert_latest(session, model, key=key, **fields)
                await session.commit()
            except IntegrityError:
                # The event (or a concurrent fetch) inserted the row first: theirs stands.
                await session.rollback()
            return await session.get(model, fields[key], populate_existing=True)


Fetch = Callable[[str], Awaitable[Any | None]]


class ReadThroughs:
    """A service's read-throughs, one per source, each made on its first use (a unit of
    work is made for every request and event; few of them miss)."""

    def __init__(
        self,
        *,
        service: str,
        urls_of: Callable[[str], Sequence[str]],
        client: Callable[[str], httpx.AsyncClient],
        session_factory: async_sessionmaker[AsyncSession],
    ) -> None:
        self.service = service
        self._urls_of = urls_of
        self._client = client  # owner -> a client to it (in-process in all-in-one mode)
        self._session_factory = session_factory
        self._made: dict[Source, ReadThrough] = {}

    def of(self, source: Source) -> ReadThrough:
        found = self._made.get(source)
        if found is None:
            found = self._made[source] = ReadThrough(
                source,
                service=self.service,
                urls=self._urls_of(source.owner),
                client=lambda: self._client(source.owner),
                session_factory=self._session_factory,
            )
        return found


def fetcher(read_throughs: ReadThroughs | None, source: Source) -> Fetch | None:
    """The fetch function for `source` of the running service, looked up when a key is
    missed; None without a running service (the read model then knows only what it
    holds)."""
    if read_throughs is None:
        return None
    found = read_throughs

    async def fetch(key: str) -> Any | None:
        return await found.of(source).fetch(key)

    return fetch
