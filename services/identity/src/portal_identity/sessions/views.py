from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import OptionalActorDep, client_address
from portal_chassis.errors import PROBLEM_JSON
from portal_identity.deps import IssuerDep, SettingsDep, ThrottleDep, UoWDep
from portal_identity.sessions import service
from portal_identity.sessions.schemas import (
    ForgotRequest,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    ResetRequest,
    Revocations,
    TokenPair,
)

router = APIRouter(prefix="/api/v1/auth", tags=["sign-in"])
# For the other services only: the gateway routes no /internal path.
internal_router = APIRouter(prefix="/internal/v1", tags=["internal"], include_in_schema=False)

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Wrong credentials", "content": {PROBLEM_JSON: {}}},
    429: {"description": "Too many failed attempts", "content": {PROBLEM_JSON: {}}},
}


@router.post("/login", response_model=TokenPair, responses=_PROBLEMS)
async def login(
    data: LoginRequest, request: Request, uow: UoWDep, issuer: IssuerDep, throttle: ThrottleDep
) -> TokenPair:
    return await service.login(
        uow=uow, issuer=issuer, throttle=throttle, data=data, address=client_address(request)
    )


@router.post("/refresh", response_model=TokenPair, responses=_PROBLEMS)
async def refresh(data: RefreshRequest, uow: UoWDep, issuer: IssuerDep) -> TokenPair:
    return await service.refresh(uow=uow, issuer=issuer, data=data)


@router.post("/logout", status_code=204)
async def logout(
    actor: OptionalActorDep, uow: UoWDep, data: LogoutRequest | None = None
) -> Response:
    await service.logout(uow=uow, refresh_token=data.refresh_token if data else None, actor=actor)
    return Response(status_code=204)


@router.post("/password/forgot", status_code=202)
async def forgot_password(
    data: ForgotRequest, uow: UoWDep, settings: SettingsDep, runtime: RuntimeDep
) -> Response:
    await service.forgot_password(uow=uow, settings=settings, limiter=runtime.limiter, data=data)
    return Response(status_code=202)


@router.post("/password/reset", status_code=204)
async def reset_password(data: ResetRequest, uow: UoWDep) -> Response:
    await service.reset_password(uow=uow, data=data)
    return Response(status_code=204)


@internal_router.get("/revocations", response_model=Revocations)
async def revocations(
    uow: UoWDep,
    settings: SettingsDep,
    since: Annotated[str | None, Query(max_length=32)] = None,
) -> Revocations:
    """Ended sign-ins still in force; with `since` (an earlier answer's cursor) only newer ones."""
    return await service.revocations(uow=uow, settings=settings, since=since)
