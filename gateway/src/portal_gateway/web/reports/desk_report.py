"""The vendor's report page: per organization, agent group or agent, the tickets of a
period against both SLA targets, with the workbook to download (the service desk only)."""

from __future__ import annotations

import re
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response

from portal_gateway.web.base import sign_in_first
from portal_gateway.web.clients.base import ServiceError
from portal_gateway.web.clients.tickets import (
    DeskReport,
    DeskRow,
    SatisfactionMonth,
    TicketsClient,
)
from portal_gateway.web.deps import WebDep
from portal_gateway.web.i18n import language
from portal_gateway.web.reports.routes import duration, percent

router = APIRouter()
DIMENSIONS = ("organization", "group", "agent")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "")
    return value if DAY.fullmatch(value) else None


def _texts(row: DeskRow | SatisfactionMonth, lang: str) -> dict[str, str | None]:
    """A row's shares, medians and ratings as the table says them."""
    words = {
        "csat": percent(row.csat, lang),
        "average_rating": average(row.average_rating, lang),
    }
    if isinstance(row, SatisfactionMonth):
        return words
    return words | {
        "reaction_share": percent(row.reaction_met_share, lang),
        "resolution_share": percent(row.resolution_met_share, lang),
        "reaction_median": duration(row.median_reaction_seconds, lang),
        "resolution_median": duration(row.median_resolution_seconds, lang),
    }


def average(value: float | None, lang: str) -> str | None:
    """A mean rating with one decimal (a comma in German)."""
    if value is None:
        return None
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "de" else text


@router.get("/reports/desk", response_model=None)
async def desk_report(request: Request, web: WebDep) -> Response:
    viewer = await web.viewer(request)
    if viewer.actor is None:
        return sign_in_first(request)
    if not viewer.is_staff:
        return web.render(request, "reports/missing.html", 404, viewer=viewer)
    by = request.query_params.get("by", "organization")
    by = by if by in DIMENSIONS else "organization"
    since, until = _day(request, "since"), _day(request, "until")
    lang = language(request)
    try:
        report: DeskReport = await web.client(TicketsClient, viewer).desk_report(by, since, until)
    except ServiceError as error:
        if error.status == 422:
            return web.render(
                request,
                "reports/desk.html",
                422,
                viewer=viewer,
                report=None,
                by=by,
                since=since,
                until=until,
                errors=error.messages(lang),
            )
        return web.render(request, "reports/unavailable.html", 503, viewer=viewer)
    query = [("by", by), *((k, v) for k, v in (("since", since), ("until", until)) if v)]
    return web.render(
        request,
        "reports/desk.html",
        viewer=viewer,
        report=report,
        rows=[(row, _texts(row, lang)) for row in report.rows],
        total=(report.total, _texts(report.total, lang)),
        months=[(month, _texts(month, lang)) for month in report.satisfaction_by_month],
        by=by,
        since=since or report.since[:10],
        until=until or report.until[:10],
        errors=[],
        workbook_url="/api/v1/tickets/reports/desk.xlsx?" + urlencode([*query, ("lang", lang)]),
    )
