"""HTTP: the service desk links tickets and merges a duplicate into another ticket.
Customers see links on the tickets they read (`TicketRead.links`), never these routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from portal_chassis.auth import StaffDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import NumberPath, UoWDep
from portal_tickets.links import service
from portal_tickets.links.schemas import LinkCreate, MergeRequest, TicketLinkRead
from portal_tickets.ticket.presenter import present_tickets
from portal_tickets.ticket.schemas import TicketRead

router = APIRouter(
    prefix="/api/v1/tickets", tags=["ticket links"], dependencies=[Depends(area_scope("tickets"))]
)
OtherPath = Annotated[str, Path(max_length=32)]


@router.post(
    "/{number}/links",
    status_code=201,
    response_model=TicketLinkRead,
    responses={200: {"model": TicketLinkRead, "description": "The tickets were linked already"}},
)
async def add_link(
    number: NumberPath, data: LinkCreate, actor: StaffDep, uow: UoWDep, response: Response
) -> TicketLinkRead:
    """Link another ticket as related; the link shows on both tickets. Tickets of
    different organizations may be linked (e.g. one outage, several customers):
    customers see a link only to a ticket they may see themselves."""
    outcome = await service.add_link(uow=uow, number=number, other=data.number, actor=actor)
    if not outcome.created:
        response.status_code = 200
    other = outcome.other
    return TicketLinkRead(
        number=other.number,
        title=other.title,
        kind=outcome.kind,
        portal_status=other.portal_status,
    )


@router.delete("/{number}/links/{other}", status_code=204)
async def remove_link(
    number: NumberPath, other: OtherPath, actor: StaffDep, uow: UoWDep
) -> Response:
    """Remove the related link between two tickets (409 for a merge, which stays)."""
    await service.remove_link(uow=uow, number=number, other=other, actor=actor)
    return Response(status_code=204)


@router.post("/{number}/merge", response_model=TicketRead)
async def merge(number: NumberPath, data: MergeRequest, actor: StaffDep, uow: UoWDep) -> TicketRead:
    """Merge this ticket, a duplicate, into another ticket of the same organization: its
    messages, internal notes and their files move there (keeping their times), its
    followers follow that ticket, both get a system note, and this one is closed with
    `merged_into` pointing there. Answers with the ticket merged into."""
    target = await service.merge(uow=uow, number=number, into=data.into, actor=actor)
    async with uow:
        return (await present_tickets(uow, [target], actor))[0]
