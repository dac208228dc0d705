from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from portal_chassis.auth import StaffDep, UserReaderDep
from portal_chassis.scopes import area_scope
from portal_identity.access_requests import service
from portal_identity.access_requests.models import RequestState
from portal_identity.access_requests.schemas import (
    AccessRequestCreate,
    AccessRequestDecision,
    AccessRequestPage,
    AccessRequestRead,
)
from portal_identity.deps import CustomerAdminDep, LimitQuery, SettingsDep, UoWDep

router = APIRouter(
    prefix="/api/v1/access-requests",
    tags=["access requests"],
    dependencies=[Depends(area_scope("admin"))],
)


@router.post("", status_code=201, response_model=AccessRequestRead)
async def request_access(
    data: AccessRequestCreate, actor: CustomerAdminDep, uow: UoWDep
) -> AccessRequestRead:
    request = await service.request_access(uow=uow, data=data, actor=actor)
    return AccessRequestRead.model_validate(request)


@router.get("", response_model=AccessRequestPage)
async def list_requests(
    actor: UserReaderDep,
    uow: UoWDep,
    state: RequestState | None = None,
    limit: LimitQuery = 50,
) -> AccessRequestPage:
    rows = await service.list_requests(uow=uow, actor=actor, state=state, limit=limit)
    return AccessRequestPage(items=[AccessRequestRead.model_validate(r) for r in rows])


@router.post("/{request_id}/approve", response_model=AccessRequestRead)
async def approve(
    request_id: uuid.UUID, actor: StaffDep, uow: UoWDep, settings: SettingsDep
) -> AccessRequestRead:
    request = await service.approve(uow=uow, settings=settings, request_id=request_id, actor=actor)
    return AccessRequestRead.model_validate(request)


@router.post("/{request_id}/reject", response_model=AccessRequestRead)
async def reject(
    request_id: uuid.UUID, data: AccessRequestDecision, actor: StaffDep, uow: UoWDep
) -> AccessRequestRead:
    request = await service.reject(uow=uow, request_id=request_id, reason=data.reason, actor=actor)
    return AccessRequestRead.model_validate(request)
