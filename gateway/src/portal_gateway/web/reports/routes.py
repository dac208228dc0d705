"""Reports on the tickets of the reader's organization (the service desk: of all, or of
one organization): charts drawn here as SVG, each with its numbers as a table."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.base import is_uuid, sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import CATEGORIES, Report, TicketsClient, WeekCount
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import TEXTS, language

WEEKS = 12

# Chart geometry, in the SVG's own units (it scales to the width of the page).
WIDTH = 640
WEEK_HEIGHT = 240
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 16, 44, 40, 8
ROW_HEIGHT, LABEL_WIDTH, VALUE_WIDTH = 30, 190, 80


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    width: float
    height: float
    css: str


@dataclass(frozen=True)
class Text:
    x: float
    y: float
    text: str
    anchor: str = "middle"
    css: str = ""


@dataclass
class Chart:
    """What a chart's SVG draws, and what it says to someone who cannot see it."""

    id: str
    title: str
    summary: str
    height: float
    rects: list[Rect] = field(default_factory=list)
    texts: list[Text] = field(default_factory=list)
    lines: list[tuple[float, float, float, float]] = field(default_factory=list)


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    ceiling: float = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)
    return ceiling


def short_date(iso: str) -> str:
    return iso[5:10]


def week_chart(weeks: list[WeekCount], words: dict[str, str]) -> Chart:
    """Opened and closed tickets per week: two bars per week, side by side."""
    peak = nice_ceiling(max([w.opened for w in weeks] + [w.closed for w in weeks]))
    plot_height = WEEK_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    plot_width = WIDTH - PLOT_LEFT - PLOT_RIGHT
    group = plot_width / max(len(weeks), 1)
    bar = group * 0.36
    base = PLOT_TOP + plot_height
    chart = Chart(
        id="chart-weeks",
        title=words["report_weeks_title"],
        summary=words["report_weeks_summary"].format(
            opened=sum(w.opened for w in weeks), closed=sum(w.closed for w in weeks)
        ),
        height=WEEK_HEIGHT,
    )
    # A middle line only where it falls on a whole number of tickets.
    for step in (0, 0.5, 1) if peak % 2 == 0 else (0, 1):
        y = base - plot_height * step
        chart.lines.append((PLOT_LEFT, y, WIDTH - PLOT_RIGHT, y))
        label = f"{peak * step:g}"
        chart.texts.append(Text(PLOT_LEFT - 6, y + 4, label, "end", "axis"))
    for index, week in enumerate(weeks):
        left = PLOT_LEFT + index * group + (group - 2 * bar) / 2
        for offset, key in ((0, "opened"), (bar, "closed")):
            height = plot_height * getattr(week, key) / peak
            chart.rects.append(Rect(left + offset, base - height, bar, height, f"bar-{key}"))
        middle = PLOT_LEFT + index * group + group / 2
        chart.texts.append(Text(middle, base + 16, short_date(week.starts_at), css="axis"))
    legend_y = WEEK_HEIGHT - 8
    for x, key in ((PLOT_LEFT, "opened"), (PLOT_LEFT + 120, "closed")):
        chart.rects.append(Rect(x, legend_y - 10, 12, 12, f"bar-{key}"))
        chart.texts.append(Text(x + 18, legend_y, words[f"report_{key}"], "start", "legend"))
    return chart


def bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, float, str]], maximum: float
) -> Chart:
    """One horizontal bar per row: (label, value, value as text)."""
    scale = (WIDTH - LABEL_WIDTH - VALUE_WIDTH) / (maximum or 1)
    chart = Chart(
        id=chart_id,
        title=title,
        summary=", ".join(f"{label}: {text}" for label, _, text in rows),
        height=len(rows) * ROW_HEIGHT + 8,
    )
    for index, (label, value, text) in enumerate(rows):
        top = 4 + index * ROW_HEIGHT
        width = value * scale
        chart.texts.append(Text(LABEL_WIDTH - 8, top + 19, label, "end", "label"))
        chart.rects.append(Rect(LABEL_WIDTH, top + 4, width, ROW_HEIGHT - 8, "bar-value"))
        chart.texts.append(Text(LABEL_WIDTH + width + 6, top + 19, text, "start", "value"))
    return chart


def _decimal(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "de" else text


def duration(seconds: float | None, lang: str) -> str | None:
    if seconds is None:
        return None
    minutes, hours, days = {"en": ("min", "h", "days"), "de": ("Min.", "Std.", "Tage")}[lang]
    if seconds < 3600:
        return f"{max(1, round(seconds / 60))} {minutes}" if seconds >= 30 else f"< 1 {minutes}"
    if seconds < 48 * 3600:
        return f"{_decimal(seconds / 3600, lang)} {hours}"
    return f"{_decimal(seconds / 86400, lang)} {days}"


def percent(share: float | None, lang: str) -> str | None:
    if share is None:
        return None
    return f"{round(share * 100)} %" if lang == "de" else f"{round(share * 100)}%"


def charts(report: Report, lang: str) -> dict[str, Chart]:
    words = TEXTS[lang]
    priorities = list(report.by_priority.items())
    categories = [(c, report.by_category.get(c, 0)) for c in CATEGORIES]
    most = max([n for _, n in priorities] + [n for _, n in categories] + [1])
    no_data = words["report_no_data"]
    reaction = [
        (
            r.priority,
            (r.met_share or 0) * 100,
            percent(r.met_share, lang) or no_data,
        )
        for r in report.reaction
    ]
    return {
        "weeks": week_chart(report.weeks, words),
        "priority": bar_chart(
            "chart-priority",
            words["report_priority_title"],
            [(p, n, str(n)) for p, n in priorities],
            nice_ceiling(most),
        ),
        "category": bar_chart(
            "chart-category",
            words["report_category_title"],
            [(words[f"report_category_{c}"], n, str(n)) for c, n in categories],
            nice_ceiling(most),
        ),
        "reaction": bar_chart("chart-reaction", words["report_reaction_title"], reaction, 100),
    }


router = APIRouter(include_in_schema=False)


@router.get("/reports", response_model=None)
async def reports(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    chosen = request.query_params.get("organization_id", "") if viewer.is_staff else ""
    if chosen and not is_uuid(chosen):
        return web.render(request, "reports/missing.html", 404, viewer=viewer)
    try:
        report = await web.client(TicketsClient, viewer).report(WEEKS, chosen or None)
    except ServiceError as error:
        if error.missing:
            return web.render(request, "reports/missing.html", 404, viewer=viewer)
        return web.render(request, "reports/unavailable.html", 503, viewer=viewer)
    lang = language(request)
    return web.render(
        request,
        "reports/index.html",
        viewer=viewer,
        report=with_texts(report, lang),
        charts=charts(report, lang),
        categories=CATEGORIES,
        chosen=chosen or None,
        since=datetime.fromisoformat(report.since).date().isoformat(),
    )


def with_texts(report: Report, lang: str) -> Report:
    """The report with each reaction row's share and median as the tables say them."""
    rows = [
        row.model_copy(
            update={
                "share_text": percent(row.met_share, lang),
                "median_text": duration(row.median_first_reaction_seconds, lang),
            }
        )
        for row in report.reaction
    ]
    return report.model_copy(update={"reaction": rows})
