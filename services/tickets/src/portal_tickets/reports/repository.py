"""The report's SQL: counts and medians computed by the database, on PostgreSQL and
SQLite alike (the few spellings that differ are compiled per dialect)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    String,
    and_,
    case,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from portal_tickets.directory.models import KnownOrganization
from portal_tickets.surveys.models import Survey
from portal_tickets.surveys.rules import SATISFIED
from portal_tickets.ticket.models import DONE, Article, StatusChange, Ticket
from portal_tickets.ticket.repository import clock_start

# The desk's figures count the tickets that reached it (none still in a customer's review).
WITH_DESK = Ticket.review.is_(None)


class seconds_between(FunctionElement[float]):
    """Seconds from the second timestamp to the first."""

    type = Float()
    inherit_cache = True
    name = "seconds_between"


@compiles(seconds_between, "postgresql")
def _seconds_pg(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"
    )


@compiles(seconds_between)
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"((julianday({compiler.process(later, **kw)}) - "
        f"julianday({compiler.process(earlier, **kw)})) * 86400.0)"
    )


class month_of(FunctionElement[str]):
    """The UTC month of a timestamp as `YYYY-MM`."""

    type = String()
    inherit_cache = True
    name = "month_of"


@compiles(month_of, "postgresql")
def _month_pg(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    [at] = list(element.clauses)
    return f"to_char(({compiler.process(at, **kw)}) AT TIME ZONE 'UTC', 'YYYY-MM')"


@compiles(month_of)
def _month_sqlite(element: month_of, compiler: SQLCompiler, **kw: Any) -> str:
    # SQLite keeps the UTC wall time as text (`UTCDateTime`).
    [at] = list(element.clauses)
    return f"strftime('%Y-%m', {compiler.process(at, **kw)})"


def week_of(column: Any, starts: Sequence[datetime]) -> ColumnElement[int]:
    """The index of the week (in `starts`, ascending) a timestamp falls into."""
    if len(starts) == 1:
        return literal(0, Integer)
    return case(
        *((column < start, index) for index, start in enumerate(starts[1:])),
        else_=len(starts) - 1,
    )


class ReportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def opened_per_week(
        self, visible: ColumnElement[bool], starts: Sequence[datetime]
    ) -> dict[int, int]:
        week = week_of(Ticket.created_at, starts).label("week")
        rows = await self.session.execute(
            select(week, func.count()).where(visible, Ticket.created_at >= starts[0]).group_by(week)
        )
        return {int(w): n for w, n in rows.all()}

    async def closed_per_week(
        self, visible: ColumnElement[bool], starts: Sequence[datetime]
    ) -> dict[int, int]:
        """Closings: each move of a ticket from an open status to a done one (a ticket
        reopened and closed again counts in both weeks)."""
        week = week_of(StatusChange.created_at, starts).label("week")
        rows = await self.session.execute(
            select(week, func.count())
            .select_from(StatusChange)
            .join(Ticket, Ticket.id == StatusChange.ticket_id)
            .where(
                visible,
                StatusChange.created_at >= starts[0],
                StatusChange.to_status.in_(DONE),
                StatusChange.from_status.not_in(DONE),
            )
            .group_by(week)
        )
        return {int(w): n for w, n in rows.all()}

    async def opened_by(
        self, column: InstrumentedAttribute[Any], visible: ColumnElement[bool], since: datetime
    ) -> dict[str, int]:
        rows = await self.session.execute(
            select(column, func.count()).where(visible, Ticket.created_at >= since).group_by(column)
        )
        return {row[0].value: int(row[1]) for row in rows}

    async def reaction_targets(
        self, visible: ColumnElement[bool], since: datetime, now: datetime
    ) -> dict[str, tuple[int, int, int]]:
        """Per priority: tickets answered within their target, those that missed it
        (answered late, or unanswered past it while open or reported as breached), and
        those still waiting within it. Tickets closed unanswered in time count nowhere."""
        answered = Ticket.first_response_at.is_not(None)
        met = and_(answered, Ticket.first_response_at <= Ticket.sla_due_at)
        missed = or_(
            and_(answered, Ticket.first_response_at > Ticket.sla_due_at),
            and_(
                ~answered,
                or_(
                    Ticket.sla_breached_at.is_not(None),
                    and_(Ticket.status.not_in(DONE), Ticket.sla_due_at < now),
                ),
            ),
        )
        pending = and_(~answered, Ticket.status.not_in(DONE), Ticket.sla_due_at >= now)
        rows = await self.session.execute(
            select(
                Ticket.priority,
                func.sum(case((met, 1), else_=0)),
                func.sum(case((missed, 1), else_=0)),
                func.sum(case((pending, 1), else_=0)),
            )
            .where(visible, Ticket.created_at >= since, Ticket.sla_due_at.is_not(None))
            .group_by(Ticket.priority)
        )
        return {p.value: (int(a or 0), int(b or 0), int(c or 0)) for p, a, b, c in rows.all()}

    async def median_first_reaction(
        self, visible: ColumnElement[bool], since: datetime
    ) -> dict[str, float]:
        """Per priority, the median of the seconds from opening to the first answer of
        the service desk: the middle row (or the two middle rows) of each priority."""
        seconds = seconds_between(Ticket.first_response_at, clock_start())
        ranked = (
            select(
                Ticket.priority.label("priority"),
                seconds.label("seconds"),
                func.row_number()
                .over(partition_by=Ticket.priority, order_by=seconds)
                .label("position"),
                func.count().over(partition_by=Ticket.priority).label("total"),
            )
            .where(visible, Ticket.created_at >= since, Ticket.first_response_at.is_not(None))
            .subquery()
        )
        # (n+1)//2 and (n+2)//2 are the middle rows: one row for odd n, two for even n.
        middle = ranked.c.position.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])
        rows = await self.session.execute(
            select(ranked.c.priority, func.avg(ranked.c.seconds))
            .where(middle)
            .group_by(ranked.c.priority)
        )
        return {row[0].value: float(row[1]) for row in rows}

    async def organization(self, organization_id: Any) -> KnownOrganization | None:
        return await self.session.get(KnownOrganization, organization_id)

    async def organizations(self) -> list[KnownOrganization]:
        rows = await self.session.scalars(
            select(KnownOrganization)
            .where(KnownOrganization.active.is_(True))
            .order_by(KnownOrganization.name)
        )
        return list(rows)

    async def desk_figures(
        self, dimension: str, since: datetime, until: datetime, now: datetime
    ) -> dict[Any, dict[str, float]]:
        return await _desk_figures(self.session, dimension, since, until, now)

    async def minutes_booked(self, since: datetime, until: datetime) -> list[Booked]:
        """The minutes booked in the window per ticket and month (UTC), by ticket number
        and month (time accounting)."""
        month = month_of(Article.created_at)
        rows = await self.session.execute(
            select(
                Ticket.number,
                Ticket.title,
                Ticket.organization_id,
                month.label("month"),
                func.sum(Article.minutes),
            )
            .select_from(Article)
            .join(Ticket, Ticket.id == Article.ticket_id)
            .where(_booked_in(since, until))
            .group_by(Ticket.id, Ticket.number, Ticket.title, Ticket.organization_id, month)
            .order_by(Ticket.number, month)
        )
        return [Booked(r[0], r[1], r[2], str(r[3]), int(r[4] or 0)) for r in rows.all()]

    async def satisfaction(
        self, dimension: str | None, since: datetime, until: datetime
    ) -> dict[Any, dict[str, float]]:
        """Survey answers first given in the window, per key of the dimension as the
        survey took it at the closing (or per month, `YYYY-MM` UTC, for `None`): their
        number, the satisfied ones (4 or 5) and the sum of their ratings."""
        key = SURVEY_DIMENSIONS[dimension] if dimension else month_of(Survey.first_answered_at)
        rows = await self.session.execute(
            select(
                key.label("key"),
                func.count(),
                func.sum(case((Survey.rating >= SATISFIED, 1), else_=0)),
                func.sum(Survey.rating),
            )
            .where(
                Survey.first_answered_at >= since,
                Survey.first_answered_at < until,
                Survey.rating.is_not(None),
            )
            .group_by(key)
        )
        return {
            row[0]: {
                "survey_answers": int(row[1]),
                "survey_satisfied": int(row[2] or 0),
                "survey_rating_sum": int(row[3] or 0),
            }
            for row in rows.all()
        }

    async def overall_medians(self, since: datetime, until: datetime) -> dict[str, float]:
        """The median reaction and resolution seconds over all tickets opened in the period."""
        window = and_(Ticket.created_at >= since, Ticket.created_at < until, WITH_DESK)
        medians = {}
        for name, end in (
            ("reaction", Ticket.first_response_at),
            ("resolution", Ticket.resolved_at),
        ):
            found = await _medians(self.session, None, end, window)
            if found:
                medians[f"median_{name}_seconds"] = found[None]
        return medians


@dataclass(frozen=True)
class Booked:
    """Minutes booked on one ticket in one month (`YYYY-MM`, UTC)."""

    number: str
    title: str
    organization_id: uuid.UUID | None
    month: str
    minutes: int


def _booked_in(since: datetime, until: datetime) -> ColumnElement[bool]:
    """Replies and notes with minutes booked in the window, on tickets with the desk."""
    return and_(
        Article.created_at >= since,
        Article.created_at < until,
        Article.minutes.is_not(None),
        WITH_DESK,
    )


# The vendor's report (`desk.py`): the same figures per organization, group or agent.
DIMENSIONS: dict[str, InstrumentedAttribute[Any]] = {
    "organization": Ticket.organization_id,
    "group": Ticket.group_id,
    "agent": Ticket.assignee_id,
}
# The survey answers per the same dimensions, as the ticket stood when it was closed.
SURVEY_DIMENSIONS: dict[str, InstrumentedAttribute[Any]] = {
    "organization": Survey.organization_id,
    "group": Survey.group_id,
    "agent": Survey.assignee_id,
}


def _met_missed(
    done_at: InstrumentedAttribute[Any],
    due: InstrumentedAttribute[Any],
    reported: InstrumentedAttribute[Any],
    now: datetime,
) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    """A target met (done by its due time) or missed (done late, reported as breached,
    or open past its due time); the rest are pending or stopped."""
    done = done_at.is_not(None)
    met = and_(done, done_at <= due)
    missed = or_(
        and_(done, done_at > due),
        and_(~done, or_(reported.is_not(None), and_(Ticket.status.not_in(DONE), due < now))),
    )
    return met, missed


async def _desk_figures(
    session: AsyncSession, dimension: str, since: datetime, until: datetime, now: datetime
) -> dict[Any, dict[str, float]]:
    """Per key of the dimension: tickets opened in the window, their reaction and
    resolution targets met and missed, and escalations among them; the open backlog
    now (whenever opened); closings and minutes booked in the window."""
    key = DIMENSIONS[dimension]
    reaction_met, reaction_missed = _met_missed(
        Ticket.first_response_at, Ticket.sla_due_at, Ticket.sla_breached_at, now
    )
    resolution_met, resolution_missed = _met_missed(
        Ticket.resolved_at, Ticket.resolution_due_at, Ticket.resolution_breached_at, now
    )
    counted = {
        "reaction_met": reaction_met,
        "reaction_missed": reaction_missed,
        "resolution_met": resolution_met,
        "resolution_missed": resolution_missed,
        "escalated": Ticket.escalated_at.is_not(None),
    }
    in_window = and_(Ticket.created_at >= since, Ticket.created_at < until, WITH_DESK)
    rows = await session.execute(
        select(
            key,
            func.count(),
            *(func.sum(case((condition, 1), else_=0)) for condition in counted.values()),
        )
        .where(in_window)
        .group_by(key)
    )
    figures: dict[Any, dict[str, float]] = {}
    for row in rows.all():
        values = dict(zip(counted, (int(v or 0) for v in row[2:]), strict=True))
        figures[row[0]] = {"opened": int(row[1]), **values}
    backlog = await session.execute(
        select(key, func.count()).where(Ticket.status.not_in(DONE), WITH_DESK).group_by(key)
    )
    for counted_row in backlog.all():
        figures.setdefault(counted_row[0], {})["backlog"] = int(counted_row[1])
    closed = await session.execute(
        select(key, func.count())
        .select_from(StatusChange)
        .join(Ticket, Ticket.id == StatusChange.ticket_id)
        .where(
            StatusChange.created_at >= since,
            StatusChange.created_at < until,
            StatusChange.to_status.in_(DONE),
            StatusChange.from_status.not_in(DONE),
            WITH_DESK,
        )
        .group_by(key)
    )
    for counted_row in closed.all():
        figures.setdefault(counted_row[0], {})["closed"] = int(counted_row[1])
    booked = await session.execute(
        select(key, func.sum(Article.minutes))
        .select_from(Article)
        .join(Ticket, Ticket.id == Article.ticket_id)
        .where(_booked_in(since, until))
        .group_by(key)
    )
    for counted_row in booked.all():
        figures.setdefault(counted_row[0], {})["minutes"] = int(counted_row[1])
    for name, end in (("reaction", Ticket.first_response_at), ("resolution", Ticket.resolved_at)):
        for k, seconds in (await _medians(session, key, end, in_window)).items():
            figures.setdefault(k, {})[f"median_{name}_seconds"] = seconds
    return figures


async def _medians(
    session: AsyncSession,
    key: InstrumentedAttribute[Any] | None,
    end: InstrumentedAttribute[Any],
    window: ColumnElement[bool],
) -> dict[Any, float]:
    """Per key (or over all tickets: key None), the median of the seconds from opening
    to `end`, as the weekly report computes it: the middle row or the two middle rows."""
    seconds = seconds_between(end, clock_start())
    keys = [key.label("key")] if key is not None else []
    ranked = (
        select(
            *keys,
            seconds.label("seconds"),
            func.row_number().over(partition_by=key, order_by=seconds).label("position"),
            func.count().over(partition_by=key).label("total"),
        )
        .where(window, end.is_not(None))
        .subquery()
    )
    middle = ranked.c.position.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])
    if key is None:
        overall = await session.scalar(select(func.avg(ranked.c.seconds)).where(middle))
        return {} if overall is None else {None: float(overall)}
    rows = await session.execute(
        select(ranked.c.key, func.avg(ranked.c.seconds)).where(middle).group_by(ranked.c.key)
    )
    return {row[0]: float(row[1]) for row in rows}
