from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    extract,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from portal_chassis.db import UTCDateTime, any_of
from portal_tickets.sla.clock import AT_RISK_SHARE, SlaTarget
from portal_tickets.ticket.models import (
    DONE,
    NO_DUE,
    Article,
    ArticleKind,
    Follower,
    Review,
    Status,
    Ticket,
    TicketCounter,
)

SORTS: dict[str, Any] = {
    "number": Ticket.seq,
    "created": Ticket.created_at,
    "updated": Ticket.updated_at,
    "priority": Ticket.priority,
    "sla": func.coalesce(Ticket.sla_due_at, literal(NO_DUE, UTCDateTime())),
    # Kept by the ticket (`Ticket.next_due`); None on done tickets, which come last.
    "due": Ticket.next_due_at,
}
# The hot reads of one ticket and of a page, built once (`any_of`).
_BY_NUMBER = select(Ticket).where(Ticket.number == bindparam("number"))
_BY_NUMBER_LOCKED = _BY_NUMBER.with_for_update()
_FOLLOW_UPS = select(Ticket).where(any_of(Ticket.follow_up_of)).order_by(Ticket.seq)
_BOOKED_MINUTES = (
    select(Article.ticket_id, func.sum(Article.minutes))
    .where(any_of(Article.ticket_id), Article.minutes.is_not(None))
    .group_by(Article.ticket_id)
)
# Sorts whose column is None for some tickets: those are listed after all others by
# sequence number, each part a keyset of its own (`TicketRepository.page`).
NULLABLE_SORTS = frozenset({"due"})


def clock_start() -> ColumnElement[datetime]:
    """When a ticket's SLA clock started: at its hand-over from its organization's
    review, else at its opening (`Ticket.sla_clock`)."""
    return func.coalesce(Ticket.handed_over_at, Ticket.created_at)


def _ran_out_while_running(due: InstrumentedAttribute[datetime | None]) -> ColumnElement[bool]:
    """A paused clock counts as breached only if its target ran out before the pause."""
    return or_(Ticket.sla_paused_at.is_(None), due < Ticket.sla_paused_at)


def sla_breached(now: datetime) -> list[ColumnElement[bool]]:
    """Open, unanswered and past the reaction target at `now`: the SLA state `breached`
    (resolving, closing or cancelling stops the clock: such a ticket is no breach to
    chase)."""
    return [
        Ticket.first_response_at.is_(None),
        Ticket.sla_due_at < now,
        Ticket.status.not_in(DONE),
        _ran_out_while_running(Ticket.sla_due_at),
    ]


def resolution_breached(now: datetime) -> list[ColumnElement[bool]]:
    """Not resolved and past the resolution target at `now`."""
    return [
        Ticket.resolution_due_at < now,
        Ticket.status.not_in(DONE),
        _ran_out_while_running(Ticket.resolution_due_at),
    ]


def any_breached(now: datetime) -> ColumnElement[bool]:
    """Past the reaction or the resolution target at `now`: what the desk chases."""
    return or_(and_(*sla_breached(now)), and_(*resolution_breached(now)))


def _runs_into_risk(
    due: InstrumentedAttribute[datetime | None],
    now: datetime,
    held: InstrumentedAttribute[float] | None = None,
) -> ColumnElement[bool]:
    """Less than AT_RISK_SHARE of the target left at `now`, in wall-clock time.

    The clock's own rule (`sla/clock.py`) counts business time, which SQL cannot: here
    the target is the span from the opening to the due time less the pauses so far, and
    the time left is the span from `now` to the due time. Nights and holidays therefore
    count here; a target spanning a closed night turns at risk somewhat earlier than the
    ticket page says. With share s: left < s * (due - opened - paused), i.e.
    (1 - s) * due + s * (opened + paused) < now, in seconds since the epoch. `held`:
    what the target does not count besides the pauses (the resolution: the time spent
    resolved before a reopening)."""
    opened = extract("epoch", clock_start())
    paused: ColumnElement[float] = func.coalesce(Ticket.sla_paused_seconds, 0.0)
    if held is not None:
        paused = paused + func.coalesce(held, 0.0)
    turns = (1 - AT_RISK_SHARE) * extract("epoch", due) + AT_RISK_SHARE * (opened + paused)
    return and_(due > now, turns < now.timestamp())


def sla_at_risk(now: datetime) -> ColumnElement[bool]:
    """Running (open, not waiting for the customer, not past a target) with little of
    the reaction (while unanswered) or of the resolution target left at `now`."""
    # Not past a target that counts: the next due time lies ahead (and, stored in an
    # index, lets the queue start its scan at `now`).
    running = and_(
        Ticket.status.not_in(DONE), Ticket.sla_paused_at.is_(None), Ticket.next_due_at > now
    )
    reaction = and_(Ticket.first_response_at.is_(None), _runs_into_risk(Ticket.sla_due_at, now))
    resolution = _runs_into_risk(Ticket.resolution_due_at, now, Ticket.sla_resolved_seconds)
    return and_(running, or_(reaction, resolution))


def sla_paused() -> ColumnElement[bool]:
    """Open and waiting for the customer: the clock stands still."""
    return and_(Ticket.sla_paused_at.is_not(None), Ticket.status.not_in(DONE))


def escalated_open() -> ColumnElement[bool]:
    """Open and escalated by the customer (a done ticket is nothing to chase any more)."""
    return and_(Ticket.escalated_at.is_not(None), Ticket.status.not_in(DONE))


BREACHED = {"reaction": sla_breached, "resolution": resolution_breached}
REPORTED = {"reaction": Ticket.sla_breached_at, "resolution": Ticket.resolution_breached_at}
DUE = {"reaction": Ticket.sla_due_at, "resolution": Ticket.resolution_due_at}


def _in_review(review: str) -> ColumnElement[bool]:
    if review == "none":
        return Ticket.review.is_(None)
    if review == "any":
        return Ticket.review.is_not(None)
    return Ticket.review == Review(review)


@dataclass
class TicketQuery:
    """A list request, already scoped to what the caller may see."""

    visible: ColumnElement[bool]
    statuses: set[Status] | None = None
    priorities: set[str] | None = None
    categories: set[str] | None = None
    number: str | None = None
    organization_id: uuid.UUID | None = None
    assignee: uuid.UUID | Literal["none"] | None = None
    asset_id: str | None = None
    group: uuid.UUID | Literal["none"] | None = None
    # Unanswered and past the reaction target at this moment.
    sla_breached_at: datetime | None = None
    # Running with less than a quarter of a target left at this moment (`sla_at_risk`).
    sla_at_risk_at: datetime | None = None
    sla_paused: bool = False
    escalated: bool | None = None  # True: open and escalated; False: all others
    # In the organization's review: `internal`, `requester`, `any`; `none`: with the desk.
    review: str | None = None
    sort: str = "created"
    descending: bool = True
    # (sort value, seq) of the last row seen; the value is None past the end of a
    # nullable sort's values (NULLABLE_SORTS)
    after: tuple[Any, int] | None = None
    limit: int = 25
    extra: list[ColumnElement[bool]] = field(default_factory=list)

    def conditions(self) -> list[ColumnElement[bool]]:
        where = [self.visible, *self.extra]
        if self.statuses is not None:
            where.append(Ticket.status.in_(self.statuses))
        if self.priorities:
            where.append(Ticket.priority.in_(self.priorities))
        if self.categories:
            where.append(Ticket.category.in_(self.categories))
        if self.number:
            where.append(Ticket.number == self.number)
        if self.organization_id is not None:
            where.append(Ticket.organization_id == self.organization_id)
        if self.assignee == "none":
            where.append(Ticket.assignee_id.is_(None))
        elif self.assignee is not None:
            where.append(Ticket.assignee_id == self.assignee)
        if self.asset_id is not None:
            where.append(Ticket.asset_id == self.asset_id)
        if self.group == "none":
            where.append(Ticket.group_id.is_(None))
        elif self.group is not None:
            where.append(Ticket.group_id == self.group)
        if self.sla_breached_at is not None:
            where.append(any_breached(self.sla_breached_at))
        if self.sla_at_risk_at is not None:
            where.append(sla_at_risk(self.sla_at_risk_at))
        if self.sla_paused:
            where.append(sla_paused())
        if self.escalated is not None:
            where.append(escalated_open() if self.escalated else ~escalated_open())
        if self.review is not None:
            where.append(_in_review(self.review))
        return where

    def may_list_done(self) -> bool:
        """Whether a done ticket can match: the SLA filters and `escalated=true` are about
        open tickets only."""
        if self.statuses is not None and not self.statuses & DONE:
            return False
        chases = self.sla_breached_at or self.sla_at_risk_at or self.sla_paused
        return not chases and self.escalated is not True


class TicketRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, ticket: Ticket) -> None:
        self.session.add(ticket)

    async def get_by_number(self, number: str, *, lock: bool = False) -> Ticket | None:
        query = _BY_NUMBER_LOCKED if lock else _BY_NUMBER
        return await self.session.scalar(query, {"number": number})

    async def follow_ups(self, numbers: Collection[str]) -> list[Ticket]:
        """The tickets that continue any of `numbers`."""
        if not numbers:
            return []
        return list(await self.session.scalars(_FOLLOW_UPS, {"ids": list(numbers)}))

    async def claim_escalation(self, ticket: Ticket, *, at: datetime) -> None:
        """Move the ticket's escalation time in the database from what `ticket` holds to
        `at`, as the first write of the escalating transaction; whether the escalation
        is allowed is the ticket's own rule (`Ticket.escalate`), judged afterwards.

        A compare-and-set in one UPDATE: concurrent requests may all have read the same
        time (SQLite takes no row lock), but only one of them moves it (PostgreSQL
        re-checks the condition after waiting for the row lock, SQLite runs one writer
        at a time). The others get the time that won, read back into `ticket`, and are
        judged by it."""
        seen = ticket.escalated_at
        unchanged = Ticket.escalated_at.is_(None) if seen is None else Ticket.escalated_at == seen
        result = await self.session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id, unchanged)
            .values(escalated_at=at)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            await self.session.refresh(ticket, ["escalated_at"])

    async def articles(
        self, ticket_id: uuid.UUID, *, kinds: Collection[ArticleKind]
    ) -> list[Article]:
        """The ticket's correspondence of the given kinds, oldest first."""
        rows = await self.session.scalars(
            select(Article)
            .where(Article.ticket_id == ticket_id, Article.kind.in_(kinds))
            .order_by(Article.created_at, Article.id)
        )
        return list(rows)

    async def newer_articles(
        self,
        ticket_id: uuid.UUID,
        *,
        after: datetime,
        kinds: Collection[ArticleKind],
        not_by: uuid.UUID,
    ) -> int:
        """How many messages of the given kinds others wrote after `after`."""
        count = await self.session.scalar(
            select(func.count())
            .select_from(Article)
            .where(
                Article.ticket_id == ticket_id,
                Article.kind.in_(kinds),
                Article.created_at > after,
                Article.author_id != not_by,
            )
        )
        return count or 0

    async def booked_minutes(self, ticket_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, int]:
        """The minutes the desk booked per ticket (time accounting)."""
        if not ticket_ids:
            return {}
        rows = await self.session.execute(_BOOKED_MINUTES, {"ids": list(ticket_ids)})
        return {row[0]: int(row[1] or 0) for row in rows.all()}

    async def follower(self, ticket_id: uuid.UUID, user_id: uuid.UUID) -> Follower | None:
        return await self.session.get(Follower, (ticket_id, user_id))

    async def followers(self, ticket_id: uuid.UUID) -> list[Follower]:
        rows = await self.session.scalars(
            select(Follower).where(Follower.ticket_id == ticket_id).order_by(Follower.created_at)
        )
        return list(rows)

    def add_follower(self, follower: Follower) -> None:
        self.session.add(follower)

    async def remove_follower(self, follower: Follower) -> None:
        await self.session.delete(follower)

    async def next_seq(self) -> int:
        if self.session.get_bind().dialect.name == "postgresql":
            # A sequence hands out numbers without locking: concurrent creators never
            # wait for each other's commits (a rolled-back creation leaves a gap).
            value = await self.session.scalar(text("SELECT nextval('ticket_number_seq')"))
        else:
            # SQLite has one writer at a time: an UPDATE ... RETURNING on the counter row
            # (seeded by the first migration) is as good as a sequence there.
            value = await self.session.scalar(
                update(TicketCounter)
                .where(TicketCounter.id == 1)
                .values(value=TicketCounter.value + 1)
                .returning(TicketCounter.value)
            )
        assert value is not None, "the number source is created by the migrations"
        return int(value)

    async def page(self, query: TicketQuery) -> list[Ticket]:
        if query.sort in NULLABLE_SORTS:
            return await self._nullable_page(query)
        column = SORTS[query.sort]
        return await self._keyset(query, column, query.after, query.limit, [])

    async def _keyset(
        self,
        query: TicketQuery,
        column: Any,
        after: tuple[Any, int] | None,
        limit: int,
        where: list[ColumnElement[bool]],
    ) -> list[Ticket]:
        """One page ordered by (`column`, seq) after the position `after`."""
        where = [*query.conditions(), *where]
        if after is not None:
            # A row comparison, so that PostgreSQL starts the index scan at the cursor.
            value, seq = after
            position = tuple_(column, Ticket.seq)
            cursor = tuple_(literal(value, column.type), literal(seq, Ticket.seq.type))
            where.append(position < cursor if query.descending else position > cursor)
        order = (column.desc(), Ticket.seq.desc()) if query.descending else (column, Ticket.seq)
        rows = await self.session.scalars(
            select(Ticket).where(*where).order_by(*order).limit(limit)
        )
        return list(rows)

    async def _nullable_page(self, query: TicketQuery) -> list[Ticket]:
        """A sort over a column that is None for some tickets: those with a value first
        (read from a partial index `… WHERE column IS NOT NULL`), then the others by
        sequence number; descending, the other way round. Two keysets, so that each is an
        index range; the second is read only when the first runs out and the filters let
        such tickets in (`due`: done tickets, which the queue's filters leave out)."""
        column = SORTS[query.sort]
        parts: dict[bool, tuple[Any, ColumnElement[bool]]] = {  # by "has a value"
            True: (column, column.is_not(None)),
            False: (Ticket.seq, column.is_(None)),
        }
        order = [True, False] if query.may_list_done() else [True]
        if query.descending:
            order.reverse()
        after = query.after
        if after is not None:
            # Go on in the cursor's part (None: past the values), then in those after it.
            valued = after[0] is not None
            order = order[order.index(valued) :] if valued in order else []
            after = after if valued else (after[1], after[1])
        found: list[Ticket] = []
        for valued in order:
            key, where = parts[valued]
            found += await self._keyset(query, key, after, query.limit - len(found), [where])
            if len(found) == query.limit:
                break
            after = None
        return found

    async def counts(self, query: TicketQuery) -> Sequence[tuple[str, str, int]]:
        rows = await self.session.execute(
            select(Ticket.priority, Ticket.status, func.count())
            .where(*query.conditions())
            .group_by(Ticket.priority, Ticket.status)
        )
        return [(p.value, s.value, n) for p, s, n in rows.all()]

    async def breaching(self, now: datetime, target: SlaTarget, *, limit: int) -> list[Ticket]:
        """Open tickets past their `target` and not yet reported; locked and skipped by
        concurrent scanners."""
        rows = await self.session.scalars(
            select(Ticket)
            .where(*BREACHED[target](now), REPORTED[target].is_(None))
            .order_by(DUE[target])
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def count_breached(self, now: datetime, target: SlaTarget) -> dict[str, int]:
        """Open tickets past their `target` at `now`, by priority (whether the scan has
        reported them yet or not)."""
        rows = await self.session.execute(
            select(Ticket.priority, func.count())
            .where(*BREACHED[target](now))
            .group_by(Ticket.priority)
        )
        return {priority.value: count for priority, count in rows.all()}
