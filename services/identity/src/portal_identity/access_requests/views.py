from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import UserReaderDep, client_address
from portal_chassis.openapi import problem_response
from portal_chassis.scopes import area_scope
from portal_identity.access_requests import service, sign_in
from portal_identity.access_requests.models import RequestState
from portal_identity.access_requests.schemas import (
    AccessRequestAccepted,
    AccessRequestApproval,
    AccessRequestCreate,
    AccessRequestDecision,
    AccessRequestPage,
    AccessRequestRead,
    ConfirmationRequest,
    ConfirmationResult,
    PendingCount,
    SignInAccessRequest,
)
from portal_identity.deps import CustomerAdminDep, LimitQuery, SettingsDep, UoWDep

router = APIRouter(
    prefix="/api/v1/access-requests",
    tags=["access requests"],
    dependencies=[Depends(area_scope("admin"))],
)
# Without a token: the sign-in page's form and the mailed confirmation link.
public_router = APIRouter(prefix="/api/v1/auth/access-requests", tags=["access requests"])

_THROTTLED: dict[int | str, dict[str, Any]] = {
    429: problem_response("Too many requests from this address"),
}


@public_router.post("", status_code=202, response_model=AccessRequestAccepted, responses=_THROTTLED)
async def ask_for_access(
    data: SignInAccessRequest,
    request: Request,
    uow: UoWDep,
    settings: SettingsDep,
    runtime: RuntimeDep,
) -> AccessRequestAccepted:
    """The same answer whether the address is unknown, has an account or a request
    already: its owner learns which by mail."""
    await sign_in.request_access(
        uow=uow,
        settings=settings,
        limiter=runtime.limiter,
        data=data,
        address=client_address(request),
    )
    return AccessRequestAccepted(detail=sign_in.ACCEPTED)


@public_router.post("/confirm", response_model=ConfirmationResult)
async def confirm_access_request(data: ConfirmationRequest, uow: UoWDep) -> ConfirmationResult:
    await sign_in.confirm(uow=uow, token=data.token)
    return ConfirmationResult()


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
    """Requests from the sign-in page appear once their address is confirmed."""
    rows = await service.list_requests(uow=uow, actor=actor, state=state, limit=limit)
    return AccessRequestPage(items=rows)


@router.get("/pending-count", response_model=PendingCount)
async def pending_count(actor: UserReaderDep, uow: UoWDep) -> PendingCount:
    """How many pending requests the caller may decide (for a navigation badge)."""
    return PendingCount(pending=await service.pending_count(uow=uow, actor=actor))


@router.post("/{request_id}/approve", response_model=AccessRequestRead)
async def approve(
    request_id: uuid.UUID,
    actor: UserReaderDep,
    uow: UoWDep,
    settings: SettingsDep,
    data: AccessRequestApproval | None = None,
) -> AccessRequestRead:
    request = await service.approve(
        uow=uow,
        settings=settings,
        request_id=request_id,
        data=data or AccessRequestApproval(),
        actor=actor,
    )
    return AccessRequestRead.model_validate(request)


@router.post("/{request_id}/reject", response_model=AccessRequestRead)
async def reject(
    request_id: uuid.UUID, data: AccessRequestDecision, actor: UserReaderDep, uow: UoWDep
) -> AccessRequestRead:
    request = await service.reject(uow=uow, request_id=request_id, reason=data.reason, actor=actor)
    return AccessRequestRead.model_validate(request)
