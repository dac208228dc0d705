"""The vendor's report: per organization, agent group or agent, the tickets opened and
closed in a period, the open backlog, reaction and resolution targets met and missed,
median times and escalations; also as an Excel workbook."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import IO, Any, Literal

from portal_chassis.errors import InvalidInput
from portal_tickets.export.tables import Sheet
from portal_tickets.reports.schemas import DeskReport, DeskRow, SatisfactionMonth
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


# The survey answers' sums; the report shows the first two, the share and the mean.
SURVEY_SUMS = ("survey_answers", "survey_satisfied", "survey_rating_sum")


def _of(answers: int, part: int) -> float | None:
    return part / answers if answers else None


def _row(key: Ref | None, figures: dict[str, float]) -> DeskRow:
    counts = {name: int(figures.get(name, 0)) for name in COUNTS}
    answers, satisfied, rating_sum = (int(figures.get(name, 0)) for name in SURVEY_SUMS)
    return DeskRow(
        key=key,
        **counts,
        reaction_met_share=_share(counts["reaction_met"], counts["reaction_missed"]),
        resolution_met_share=_share(counts["resolution_met"], counts["resolution_missed"]),
        median_reaction_seconds=figures.get("median_reaction_seconds"),
        median_resolution_seconds=figures.get("median_resolution_seconds"),
        survey_answers=answers,
        survey_satisfied=satisfied,
        csat=_of(answers, satisfied),
        average_rating=_of(answers, rating_sum),
    )


def _months(found: dict[Any, dict[str, float]]) -> list[SatisfactionMonth]:
    months = []
    for month, figures in sorted(found.items()):
        answers, satisfied, rating_sum = (int(figures[name]) for name in SURVEY_SUMS)
        months.append(
            SatisfactionMonth(
                month=str(month),
                answers=answers,
                satisfied=satisfied,
                csat=_of(answers, satisfied),
                average_rating=_of(answers, rating_sum),
            )
        )
    return months


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
        for key, answered in (await uow.reports.satisfaction(by, start, end)).items():
            figures.setdefault(key, {}).update(answered)
        months = await uow.reports.satisfaction(None, start, end)
        overall = await uow.reports.overall_medians(start, end)
        names = await _names(uow, by, {k for k in figures if k is not None})
    rows = [
        _row(Ref(id=k, name=names.get(k, str(k))) if k is not None else None, f)
        for k, f in figures.items()
    ]
    rows.sort(key=lambda r: (r.key is None, (r.key.name if r.key else "").casefold()))
    totals: dict[str, float] = {
        name: sum(f.get(name, 0) for f in figures.values()) for name in (*COUNTS, *SURVEY_SUMS)
    }
    return DeskReport(
        by=by,
        since=start,
        until=end,
        rows=rows,
        total=_row(None, totals | overall),
        satisfaction_by_month=_months(months),
    )


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
    ("Survey answers", "Umfrageantworten", 14),
    ("Satisfied (4-5)", "Zufrieden (4-5)", 14),
    ("CSAT (%)", "CSAT (%)", 10),
    ("Average rating", "Durchschnittliche Bewertung", 14),
    ("Minutes booked", "Gebuchte Minuten", 14),
]
NONE = {
    "organization": ("(no organization)", "(keine Organisation)"),
    "group": ("(no group)", "(keine Gruppe)"),
    "agent": ("(unassigned)", "(nicht zugewiesen)"),
}


def _hours(seconds: float | None) -> float | str:
    return round(seconds / 3600, 2) if seconds is not None else ""


def _percent(share: float | None) -> float | str:
    return round(share * 100, 1) if share is not None else ""


def _mean(value: float | None) -> float | str:
    return round(value, 2) if value is not None else ""


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
            row.survey_answers,
            row.survey_satisfied,
            _percent(row.csat),
            _mean(row.average_rating),
            row.minutes,
        ]


@dataclass(frozen=True)
class TicketTime:
    number: str
    title: str
    organization: str | None
    minutes: int


@dataclass(frozen=True)
class TimeBooked:
    """Time accounting's minutes in the report's period: per ticket (by number), and per
    organization (by name, none last) and month (`YYYY-MM`, UTC)."""

    tickets: list[TicketTime]
    months: list[str]
    organizations: list[tuple[str | None, dict[str, int]]]


async def time_booked(*, uow: TicketsUoW, since: datetime, until: datetime) -> TimeBooked:
    async with uow:
        booked = await uow.reports.minutes_booked(since, until)
        ids = {b.organization_id for b in booked if b.organization_id is not None}
        names = {i: o.name for i, o in (await uow.directory.organizations(ids)).items()}
    tickets: dict[str, TicketTime] = {}
    per_org: dict[uuid.UUID | None, dict[str, int]] = {}
    for b in booked:
        org = names.get(b.organization_id, str(b.organization_id)) if b.organization_id else None
        seen = tickets.get(b.number)
        total = b.minutes + (seen.minutes if seen else 0)
        tickets[b.number] = TicketTime(b.number, b.title, org, total)
        months = per_org.setdefault(b.organization_id, {})
        months[b.month] = months.get(b.month, 0) + b.minutes
    organizations = sorted(
        ((names.get(i, str(i)) if i else None, months) for i, months in per_org.items()),
        key=lambda o: (o[0] is None, (o[0] or "").casefold()),
    )
    return TimeBooked(
        tickets=list(tickets.values()),
        months=sorted({b.month for b in booked}),
        organizations=organizations,
    )


def _words(language: str, english: str, german: str) -> str:
    return german if language == "de" else english


TICKET_COLUMNS: list[tuple[str, str, int]] = [
    ("Number", "Nummer", 16),
    ("Title", "Titel", 50),
    ("Organization", "Organisation", 30),
    ("Minutes booked", "Gebuchte Minuten", 14),
]


async def _ticket_time_rows(booked: TimeBooked, language: str) -> AsyncIterator[list[Any]]:
    no_org = _words(language, *NONE["organization"])
    for t in booked.tickets:
        yield [t.number, t.title, t.organization or no_org, t.minutes]
    yield [_words(language, "Total", "Gesamt"), "", "", sum(t.minutes for t in booked.tickets)]


async def _month_rows(booked: TimeBooked, language: str) -> AsyncIterator[list[Any]]:
    no_org = _words(language, *NONE["organization"])
    for name, months in booked.organizations:
        yield [name or no_org, *(months.get(m, 0) for m in booked.months), sum(months.values())]
    totals = [sum(months.get(m, 0) for _, months in booked.organizations) for m in booked.months]
    yield [_words(language, "Total", "Gesamt"), *totals, sum(totals)]


def _time_sheets(booked: TimeBooked, language: str) -> list[Sheet]:
    per_ticket = [(_words(language, en, de), width) for en, de, width in TICKET_COLUMNS]
    per_month = [
        (_words(language, "Organization", "Organisation"), 30),
        *((month, 10) for month in booked.months),
        (_words(language, "Total", "Gesamt"), 10),
    ]
    return [
        Sheet(
            _words(language, "Time per ticket", "Zeit je Ticket"),
            per_ticket,
            _ticket_time_rows(booked, language),
        ),
        Sheet(
            _words(language, "Time per month", "Zeit je Monat"),
            per_month,
            _month_rows(booked, language),
        ),
    ]


MONTH_COLUMNS: list[tuple[str, str, int]] = [
    ("Month", "Monat", 10),
    ("Survey answers", "Umfrageantworten", 14),
    ("Satisfied (4-5)", "Zufrieden (4-5)", 14),
    ("CSAT (%)", "CSAT (%)", 10),
    ("Average rating", "Durchschnittliche Bewertung", 14),
]


async def _satisfaction_rows(report: DeskReport, language: str) -> AsyncIterator[list[Any]]:
    for m in report.satisfaction_by_month:
        yield [m.month, m.answers, m.satisfied, _percent(m.csat), _mean(m.average_rating)]
    total = report.total
    yield [
        _words(language, "Total", "Gesamt"),
        total.survey_answers,
        total.survey_satisfied,
        _percent(total.csat),
        _mean(total.average_rating),
    ]


def _satisfaction_sheet(report: DeskReport, language: str) -> Sheet:
    columns = [(_words(language, en, de), width) for en, de, width in MONTH_COLUMNS]
    title = _words(language, "Satisfaction per month", "Zufriedenheit je Monat")
    return Sheet(title, columns, _satisfaction_rows(report, language))


async def desk_workbook(
    report: DeskReport, language: str, booked: TimeBooked | None = None
) -> IO[bytes]:
    """The report's table; with time accounting (`booked`) the minutes per ticket and
    per organization and month; last the survey answers per month."""
    from portal_tickets.export.xlsx import write_tables  # on first use: export/tables.py

    columns = [(_words(language, en, de), width) for en, de, width in COLUMNS]
    sheets = [
        Sheet("Report", columns, _report_rows(report, language)),
        *(_time_sheets(booked, language) if booked else []),
        _satisfaction_sheet(report, language),
    ]
    return await write_tables(sheets)
