from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from portal_chassis.app import RuntimeDep
from portal_chassis.auth import Actor, ActorDep, OptionalActorDep
from portal_chassis.openapi import problem_response
from portal_chassis.scopes import area_scope
from portal_identity.deps import ClientDep, IssuerDep, SettingsDep, ThrottleDep, UoWDep
from portal_identity.sessions import own, service
from portal_identity.sessions.schemas import (
    ForgotRequest,
    LoginRequest,
    LogoutRequest,
    RefreshRequest,
    ResetRequest,
    Revocations,
    SignInSessionPage,
    TokenPair,
)

router = APIRouter(prefix="/api/v1/auth", tags=["sign-in"])


async def _own(actor: ActorDep) -> Actor:
    return own.own_sign_in(actor)


OwnDep = Annotated[Actor, Depends(_own)]
# The caller's own sign-ins, in the profile.
me_router = APIRouter(
    prefix="/api/v1/me", tags=["sign-in sessions"], dependencies=[Depends(area_scope("profile"))]
)
# For the other services only: the gateway routes no /internal path.
internal_router = APIRouter(prefix="/internal/v1", tags=["internal"], include_in_schema=False)

_PROBLEMS: dict[int | str, dict[str, Any]] = {
    401: problem_response("Wrong credentials"),
    429: problem_response("Too many failed attempts"),
}


@router.post("/login", response_model=TokenPair, responses=_PROBLEMS)
async def login(
    data: LoginRequest, client: ClientDep, uow: UoWDep, issuer: IssuerDep, throttle: ThrottleDep
) -> TokenPair:
    return await service.login(uow=uow, issuer=issuer, throttle=throttle, data=data, client=client)


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


@me_router.get("/sessions", response_model=SignInSessionPage)
async def my_sessions(actor: OwnDep, uow: UoWDep, settings: SettingsDep) -> SignInSessionPage:
    """The caller's sign-ins that still hold a working refresh token, newest use first;
    `current` marks the one of the asking token. OAuth clients' tokens are not listed."""
    return await own.list_sessions(uow=uow, settings=settings, actor=actor)


@me_router.delete("/sessions/{session_id}", status_code=204)
async def end_my_session(
    session_id: uuid.UUID, actor: OwnDep, uow: UoWDep, settings: SettingsDep
) -> Response:
    """Ends one sign-in: its refresh token at once, its access tokens everywhere within
    seconds. 404 for an unknown, ended or someone else's sign-in."""
    await own.end_session(uow=uow, settings=settings, actor=actor, session_id=session_id)
    return Response(status_code=204)


@me_router.delete("/sessions", status_code=204)
async def end_my_sessions(actor: OwnDep, uow: UoWDep, include_current: bool = False) -> Response:
    """Ends every sign-in of the caller but the current one (`include_current=true`:
    that one too)."""
    await own.end_sessions(uow=uow, actor=actor, include_current=include_current)
    return Response(status_code=204)
