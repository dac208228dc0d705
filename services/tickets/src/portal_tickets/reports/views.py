from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from portal_chassis.auth import ActorDep, StaffDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import SettingsDep, UoWDep
from portal_tickets.export.tables import chunks
from portal_tickets.reports import desk, service
from portal_tickets.reports.schemas import DeskReport, TicketReport

# Registered before the ticket router: its `/{number}` would take "reports" for a number.
router = APIRouter(
    prefix="/api/v1/tickets", tags=["reports"], dependencies=[Depends(area_scope("tickets"))]
)


@router.get("/reports", response_model=TicketReport)
async def ticket_report(
    actor: ActorDep,
    uow: UoWDep,
    organization_id: Annotated[
        uuid.UUID | None,
        Query(description="Staff: the organization to report on (all when left out)."),
    ] = None,
    weeks: Annotated[int, Query(ge=1, le=52)] = 12,
) -> TicketReport:
    return await service.ticket_report(
        uow=uow, actor=actor, organization_id=organization_id, weeks=weeks
    )


Since = Annotated[date | None, Query(description="First day (default: the 1st of this month).")]
Until = Annotated[date | None, Query(description="Last day, included (default: today).")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get("/reports/desk", response_model=DeskReport)
async def desk_report(
    actor: StaffDep,
    uow: UoWDep,
    by: desk.Dimension = "organization",
    since: Since = None,
    until: Until = None,
) -> DeskReport:
    """The service desk: per organization, agent group or agent (`by`), tickets opened
    and closed in the period, the open backlog, reaction and resolution targets met and
    missed, median times from opening, and escalations."""
    return await desk.desk_report(uow=uow, by=by, since=since, until=until)


@router.get(
    "/reports/desk.xlsx",
    response_class=StreamingResponse,
    responses={200: {"content": {XLSX: {}}, "description": "The report as an Excel workbook"}},
)
async def desk_report_xlsx(
    actor: StaffDep,
    uow: UoWDep,
    settings: SettingsDep,
    by: desk.Dimension = "organization",
    since: Since = None,
    until: Until = None,
    lang: Literal["de", "en"] = "en",
) -> StreamingResponse:
    """The desk report as a workbook; with time accounting also the minutes booked per
    ticket and per organization and month ("Time per ticket", "Time per month")."""
    report = await desk.desk_report(uow=uow, by=by, since=since, until=until)
    booked = (
        await desk.time_booked(uow=uow, since=report.since, until=report.until)
        if settings.time_accounting
        else None
    )
    workbook = await desk.desk_workbook(report, lang, booked)
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    return StreamingResponse(
        chunks(workbook),
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="desk-report-{by}-{stamp}.xlsx"'},
    )
