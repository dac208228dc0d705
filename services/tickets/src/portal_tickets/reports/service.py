"""Reports on an organization's tickets: opened and closed per week, by priority and
category, and reaction times against the SLA, over the last weeks."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_tickets.reports.permissions import may_report_on, report_filter
from portal_tickets.reports.schemas import ReactionTimes, TicketReport, WeekCount
from portal_tickets.ticket.models import Category, Priority, Ticket
from portal_tickets.ticket.schemas import Ref
from portal_tickets.uow import TicketsUoW


def week_starts(now: datetime, weeks: int) -> list[datetime]:
    """The Mondays (00:00 UTC) of the last `weeks` weeks, the current one last."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


async def _scope(
    uow: TicketsUoW, actor: Actor, organization_id: uuid.UUID | None
) -> tuple[ColumnElement[bool], Ref | None]:
    """Which tickets the report counts, and the organization it names."""
    if not may_report_on(actor, organization_id):
        raise NotFound("No such organization.")
    chosen = organization_id if actor.is_staff else actor.organization_id
    org = await uow.reports.organization(chosen) if chosen else None
    if chosen is not None and org is None and actor.is_staff:
        raise NotFound("No such organization.")
    return report_filter(actor, org), Ref(id=org.id, name=org.name) if org else None


def _share(met: int, missed: int) -> float | None:
    return met / (met + missed) if met + missed else None


async def ticket_report(
    *,
    uow: TicketsUoW,
    actor: Actor,
    organization_id: uuid.UUID | None,
    weeks: int,
    now: datetime | None = None,
) -> TicketReport:
    now = now or datetime.now(UTC)
    starts = week_starts(now, weeks)
    since = starts[0]
    async with uow:
        reports = uow.reports
        visible, org = await _scope(uow, actor, organization_id)
        opened = await reports.opened_per_week(visible, starts)
        closed = await reports.closed_per_week(visible, starts)
        by_priority = await reports.opened_by(Ticket.priority, visible, since)
        by_category = await reports.opened_by(Ticket.category, visible, since)
        targets = await reports.reaction_targets(visible, since, now)
        medians = await reports.median_first_reaction(visible, since)
        choices = await reports.organizations() if actor.is_staff else None
    return TicketReport(
        organization=org,
        organizations=None if choices is None else [Ref(id=o.id, name=o.name) for o in choices],
        since=since,
        until=now,
        opened=sum(opened.values()),
        weeks=[
            WeekCount(starts_at=start, opened=opened.get(i, 0), closed=closed.get(i, 0))
            for i, start in enumerate(starts)
        ],
        by_priority={p.value: by_priority.get(p.value, 0) for p in Priority},
        by_category={c.value: by_category.get(c.value, 0) for c in Category},
        reaction=_reaction(targets, medians),
    )


def _reaction(
    targets: dict[str, tuple[int, int, int]], medians: dict[str, float]
) -> list[ReactionTimes]:
    """Reaction times per priority, every priority listed (zeros included)."""
    reaction = []
    for p in Priority:
        met, missed, pending = targets.get(p.value, (0, 0, 0))
        reaction.append(
            ReactionTimes(
                priority=p,
                met=met,
                missed=missed,
                pending=pending,
                met_share=_share(met, missed),
                median_first_reaction_seconds=medians.get(p.value),
            )
        )
    return reaction
