"""The vendor's report: per organization, agent group or agent, the tickets opened and
closed in a period, the open backlog, reaction and resolution targets met and missed,
median times and escalations; also as an Excel workbook."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, time, timedelta
from typing import IO, Any, Literal

from portal_chassis.errors import InvalidInput
from portal_tickets.export.xlsx import write_table
from portal_tickets.reports.schemas import DeskReport, DeskRow
from portal_tickets.ticket.schemas import Ref
from portal_tickets.uow import TicketsUoW

Dimension = Literal["organization", "group", "agent"]
COUNTS = (
    "opened",
    "closed",
    "backlog",
    "reaction_met",
    "reaction_missed",
    "resolution_met",
    "resolution_missed",
    "escalated",
    "minutes",
)


def period(since: date | None, until: date | None, now: datetime) -> tuple[datetime, datetime]:
    """From the start of `since` (default: the first of this month) to the end of `until`
    (default: now), in UTC."""
    start = since or now.date().replace(day=1)
    if until is not None and until < start:
        message = "The end lies before the start."
        raise InvalidInput([{"field": "until", "message": message, "code": "until_before_since"}])
    end = datetime.combine(until + timedelta(days=1), time(), UTC) if until else now
    return datetime.combine(start, time(), UTC), end


def _share(met: int, missed: int) -> float | None:
    return met / (met + missed) if met + missed else None


def _row(key: Ref | None, figures: dict[str, float]) -> DeskRow:
    counts = {name: int(figures.get(name, 0)) for name in COUNTS}
    return DeskRow(
        key=key,
        **counts,
        reaction_met_share=_share(counts["reaction_met"], counts["reaction_missed"]),
        resolution_met_share=_share(counts["resolution_met"], counts["resolution_missed"]),
        median_reaction_seconds=figures.get("median_reaction_seconds"),
        median_resolution_seconds=figures.get("median_resolution_seconds"),
    )


async def _names(uow: TicketsUoW, by: Dimension, ids: set[uuid.UUID]) -> dict[uuid.UUID, str]:
    if by == "organization":
        return {i: o.name for i, o in (await uow.directory.organizations(ids)).items()}
    if by == "group":
        return {i: g.name for i, g in (await uow.groups.groups_by_ids(ids)).items()}
    return {i: u.display_name or u.username for i, u in (await uow.directory.users(ids)).items()}


async def desk_report(
    *,
    uow: TicketsUoW,
    by: Dimension,
    since: date | None,
    until: date | None,
    now: datetime | None = None,
) -> DeskReport:
    now = now or datetime.now(UTC)
    start, end = period(since, until, now)
    async with uow:
        figures = await uow.reports.desk_figures(by, start, end, now)
        overall = await uow.reports.overall_medians(start, end)
        names = await _names(uow, by, {k for k in figures if k is not None})
    rows = [
        _row(Ref(id=k, name=names.get(k, str(k))) if k is not None else None, f)
        for k, f in figures.items()
    ]
    rows.sort(key=lambda r: (r.key is None, (r.key.name if r.key else "").casefold()))
    totals: dict[str, float] = {name: sum(getattr(r, name) for r in rows) for name in COUNTS}
    return DeskReport(by=by, since=start, until=end, rows=rows, total=_row(None, totals | overall))


# (English, German, width) per column of the workbook.
COLUMNS: list[tuple[str, str, int]] = [
    ("Name", "Name", 30),
    ("Opened", "Eröffnet", 11),
    ("Closed", "Geschlossen", 12),
    ("Backlog", "Offen", 10),
    ("Reaction met", "Reaktion eingehalten", 14),
    ("Reaction missed", "Reaktion verfehlt", 14),
    ("Resolution met", "Lösung eingehalten", 14),
    ("Resolution missed", "Lösung verfehlt", 14),
    ("Median reaction (h)", "Median Reaktion (h)", 14),
    ("Median resolution (h)", "Median Lösung (h)", 14),
    ("Escalated", "Eskaliert", 11),
    ("Minutes booked", "Gebuchte Minuten", 14),
]
NONE = {
    "organization": ("(no organization)", "(keine Organisation)"),
    "group": ("(no group)", "(keine Gruppe)"),
    "agent": ("(unassigned)", "(nicht zugewiesen)"),
}


def _hours(seconds: float | None) -> float | str:
    return round(seconds / 3600, 2) if seconds is not None else ""


async def _report_rows(report: DeskReport, language: str) -> AsyncIterator[list[Any]]:
    english, german = NONE[report.by]
    total = ("Total", "Gesamt")[language == "de"]
    for row, name in [
        *(
            (r, r.key.name if r.key else (german if language == "de" else english))
            for r in report.rows
        ),
        (report.total, total),
    ]:
        yield [
            name,
            *(getattr(row, c) for c in COUNTS[:-2]),
            _hours(row.median_reaction_seconds),
            _hours(row.median_resolution_seconds),
            row.escalated,
            row.minutes,
        ]


async def desk_workbook(report: DeskReport, language: str) -> IO[bytes]:
    columns = [(de if language == "de" else en, width) for en, de, width in COLUMNS]
    return await write_table("Report", columns, _report_rows(report, language))
