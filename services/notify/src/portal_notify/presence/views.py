"""HTTP: the desk's work page says which ticket its agent has open and whether they are
writing a reply, and learns who else of the service desk has it open. Changes reach the
others through their live stream (`GET /api/v1/notifications/stream`, `presence`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response

from portal_chassis.auth import Actor, roles
from portal_chassis.scopes import area_scope
from portal_notify.deps import HubDep, UoWDep
from portal_notify.presence import service
from portal_notify.presence.permissions import PRESENT_ROLES
from portal_notify.presence.schemas import PresenceUpdate, Viewers

router = APIRouter(
    prefix="/api/v1/notifications/presence",
    tags=["presence"],
    dependencies=[Depends(area_scope("notifications"))],
)

# A parameter like any other, resolved before the body is validated: a customer learns
# nothing of the route from a 422.
PresentDep = Annotated[Actor, Depends(roles(*PRESENT_ROLES))]
NumberPath = Annotated[str, Path(max_length=32)]


@router.put("/{number}", response_model=Viewers)
async def arrive(
    number: NumberPath, data: PresenceUpdate, actor: PresentDep, uow: UoWDep, hub: HubDep
) -> Viewers:
    """Say the caller has the ticket open (again every 20 s; `typing` while writing a
    reply). Answers who else of the service desk has it open, seen within 45 s."""
    return await service.arrive(uow=uow, hub=hub, actor=actor, number=number, typing=data.typing)


@router.post("/{number}/leave", status_code=204)
async def leave(number: NumberPath, actor: PresentDep, uow: UoWDep, hub: HubDep) -> Response:
    """Say the caller closed the ticket's page (sent as the page is left)."""
    await service.leave(uow=uow, hub=hub, actor=actor, number=number)
    return Response(status_code=204)
