from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from portal_chassis.auth import ActorDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import UoWDep
from portal_tickets.saved_views import service
from portal_tickets.saved_views.schemas import (
    Contact,
    ContactList,
    SavedViewCreate,
    SavedViewList,
    SavedViewRead,
)

router = APIRouter(tags=["saved views and contacts"], dependencies=[Depends(area_scope("tickets"))])


@router.get("/api/v1/ticket-views", response_model=SavedViewList)
async def list_views(actor: ActorDep, uow: UoWDep) -> SavedViewList:
    views = await service.my_views(uow=uow, actor=actor)
    return SavedViewList(items=[SavedViewRead.model_validate(v) for v in views])


@router.post("/api/v1/ticket-views", status_code=201, response_model=SavedViewRead)
async def save_view(data: SavedViewCreate, actor: ActorDep, uow: UoWDep) -> SavedViewRead:
    return SavedViewRead.model_validate(await service.save_view(uow=uow, data=data, actor=actor))


@router.delete("/api/v1/ticket-views/{view_id}", status_code=204)
async def delete_view(view_id: uuid.UUID, actor: ActorDep, uow: UoWDep) -> Response:
    await service.delete_view(uow=uow, view_id=view_id, actor=actor)
    return Response(status_code=204)


@router.get("/api/v1/ticket-contacts", response_model=ContactList)
async def contacts(
    actor: ActorDep,
    uow: UoWDep,
    q: Annotated[str | None, Query(max_length=100)] = None,
    organization_id: uuid.UUID | None = None,
) -> ContactList:
    people = await service.contacts(uow=uow, actor=actor, q=q, organization_id=organization_id)
    return ContactList(
        items=[Contact(id=p.id, display_name=p.display_name, username=p.username) for p in people]
    )
