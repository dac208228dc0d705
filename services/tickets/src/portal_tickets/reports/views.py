from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from portal_chassis.auth import ActorDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import UoWDep
from portal_tickets.reports import service
from portal_tickets.reports.schemas import TicketReport

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
