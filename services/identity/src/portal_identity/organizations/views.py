from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from portal_chassis.auth import ActorDep, AdminDep, StaffDep, UserAdminDep
from portal_chassis.scopes import area_scope
from portal_identity.deps import LimitQuery, UoWDep
from portal_identity.organizations import service
from portal_identity.organizations.schemas import (
    OrganizationCreate,
    OrganizationPage,
    OrganizationRead,
    OrganizationUpdate,
)

router = APIRouter(
    prefix="/api/v1/admin/organizations",
    tags=["organizations"],
    dependencies=[Depends(area_scope("admin"))],
)


@router.post("", status_code=201, response_model=OrganizationRead)
async def create_organization(
    data: OrganizationCreate, actor: AdminDep, uow: UoWDep
) -> OrganizationRead:
    return OrganizationRead.model_validate(await service.create(uow=uow, data=data, actor=actor))


@router.get("", response_model=OrganizationPage)
async def list_organizations(
    actor: StaffDep,
    uow: UoWDep,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: LimitQuery = 50,
) -> OrganizationPage:
    orgs = await service.list_all(uow=uow, actor=actor, after=cursor, limit=limit)
    return OrganizationPage(
        items=[OrganizationRead.model_validate(o) for o in orgs],
        next_cursor=orgs[-1].name if len(orgs) == limit else None,
    )


@router.get("/{organization_id}", response_model=OrganizationRead)
async def get_organization(
    organization_id: uuid.UUID, actor: ActorDep, uow: UoWDep
) -> OrganizationRead:
    org = await service.get(uow=uow, organization_id=organization_id, actor=actor)
    return OrganizationRead.model_validate(org)


@router.patch("/{organization_id}", response_model=OrganizationRead)
async def update_organization(
    organization_id: uuid.UUID, data: OrganizationUpdate, actor: UserAdminDep, uow: UoWDep
) -> OrganizationRead:
    org = await service.update(uow=uow, organization_id=organization_id, data=data, actor=actor)
    return OrganizationRead.model_validate(org)
