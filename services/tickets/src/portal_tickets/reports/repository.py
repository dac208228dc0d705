"""The report's SQL: counts and medians computed by the database, on PostgreSQL and
SQLite alike (the few spellings that differ are compiled per dialect)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Float, Integer, and_, case, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import DONE, StatusChange, Ticket


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
        seconds = seconds_between(Ticket.first_response_at, Ticket.created_at)
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
