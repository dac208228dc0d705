from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Depends, Request, Response

from portal_chassis.auth import ActorDep, AdminDep, client_address
from portal_chassis.openapi import problem_response
from portal_chassis.scopes import area_scope
from portal_identity.deps import ClientDep, IssuerDep, SettingsDep, ThrottleDep, UoWDep
from portal_identity.mfa import service
from portal_identity.mfa.responses import PASSWORD_CHECKED, THROTTLED
from portal_identity.mfa.schemas import (
    MfaLoginRequest,
    MfaPolicy,
    MfaStatus,
    PasswordCheck,
    RecoveryCodes,
    TotpConfirm,
    TotpEnrolment,
)
from portal_identity.sessions.schemas import TokenPair

# The second step of a sign-in, beside the first (no token yet, so no scope).
auth_router = APIRouter(prefix="/api/v1/auth", tags=["sign-in"])
router = APIRouter(
    prefix="/api/v1", tags=["two-factor sign-in"], dependencies=[Depends(area_scope("profile"))]
)

_SECOND_STEP: dict[int | str, dict[str, Any]] = {
    400: problem_response("`passkey-challenge-invalid`: ask for new passkey options"),
    401: problem_response(
        "`invalid-code`, `passkey-invalid` or `passkey-cloned` (the mfa_token stays usable), "
        "or `mfa-token-invalid` (unknown, expired, used, or too many wrong codes: sign in "
        "again)"
    ),
    429: THROTTLED,
}


@auth_router.post("/login/mfa", response_model=TokenPair, responses=_SECOND_STEP)
async def login_mfa(
    data: MfaLoginRequest,
    client: ClientDep,
    uow: UoWDep,
    issuer: IssuerDep,
    throttle: ThrottleDep,
) -> TokenPair:
    """Completes a sign-in that answered `mfa-required` with a code (`code`) or a passkey
    (`challenge_id` and `credential`, see `passkey-options`): the same answer as a
    password sign-in, with "remember me" as the first step asked."""
    return await service.complete_sign_in(
        uow=uow, issuer=issuer, throttle=throttle, data=data, client=client
    )


@router.get("/me/mfa", response_model=MfaStatus)
async def my_mfa(actor: ActorDep, uow: UoWDep) -> MfaStatus:
    return await service.status(uow=uow, actor=actor)


@router.post("/me/mfa/totp", response_model=TotpEnrolment, responses=PASSWORD_CHECKED)
async def begin_totp(
    data: PasswordCheck,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> TotpEnrolment:
    """A new secret for an authenticator app, not yet on: confirm it with a code."""
    return await service.begin_totp(
        uow=uow,
        settings=settings,
        throttle=throttle,
        actor=actor,
        data=data,
        address=client_address(request),
    )


@router.post("/me/mfa/totp/confirm", response_model=RecoveryCodes)
async def confirm_totp(
    data: TotpConfirm, request: Request, actor: ActorDep, uow: UoWDep, settings: SettingsDep
) -> RecoveryCodes:
    return await service.confirm_totp(
        uow=uow, settings=settings, actor=actor, data=data, address=client_address(request)
    )


@router.post("/me/mfa/totp/disable", status_code=204, responses=PASSWORD_CHECKED)
async def disable_totp(
    data: PasswordCheck, request: Request, actor: ActorDep, uow: UoWDep, throttle: ThrottleDep
) -> Response:
    await service.disable_totp(
        uow=uow, throttle=throttle, actor=actor, data=data, address=client_address(request)
    )
    return Response(status_code=204)


@router.post("/me/mfa/recovery-codes", response_model=RecoveryCodes, responses=PASSWORD_CHECKED)
async def new_recovery_codes(
    data: PasswordCheck, request: Request, actor: ActorDep, uow: UoWDep, throttle: ThrottleDep
) -> RecoveryCodes:
    return await service.new_recovery_codes(
        uow=uow, throttle=throttle, actor=actor, data=data, address=client_address(request)
    )


@router.get("/admin/mfa-policy", response_model=MfaPolicy)
async def get_policy(actor: AdminDep, uow: UoWDep) -> MfaPolicy:
    return await service.get_policy(uow=uow, actor=actor)


@router.put("/admin/mfa-policy", response_model=MfaPolicy)
async def set_policy(data: MfaPolicy, actor: AdminDep, uow: UoWDep) -> MfaPolicy:
    return await service.set_policy(uow=uow, actor=actor, data=data)


@router.post("/admin/users/{user_id}/mfa/reset", status_code=204)
async def reset_mfa(user_id: uuid.UUID, request: Request, actor: AdminDep, uow: UoWDep) -> Response:
    """Removes the user's second factor and recovery codes; the user is mailed."""
    await service.reset(uow=uow, actor=actor, user_id=user_id, address=client_address(request))
    return Response(status_code=204)
