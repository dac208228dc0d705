from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request, Response

from portal_chassis.auth import ActorDep, client_address
from portal_chassis.openapi import problem_response
from portal_chassis.scopes import area_scope
from portal_identity.deps import ClientDep, IssuerDep, SettingsDep, ThrottleDep, UoWDep
from portal_identity.mfa import passkey_service
from portal_identity.mfa.responses import PASSWORD_CHECKED, THROTTLED
from portal_identity.mfa.schemas import (
    MfaTokenRequest,
    Passkey,
    PasskeyList,
    PasskeyOptions,
    PasskeyRegistration,
    PasskeySignIn,
    PasswordCheck,
)
from portal_identity.sessions.schemas import TokenPair

# Signing in with a passkey (no token yet, so no scope).
auth_router = APIRouter(prefix="/api/v1/auth", tags=["sign-in"])
router = APIRouter(
    prefix="/api/v1/me/passkeys",
    tags=["two-factor sign-in"],
    dependencies=[Depends(area_scope("profile"))],
)


_CHALLENGE = problem_response(
    "`passkey-challenge-invalid`: the challenge is unknown, expired (5 minutes), used "
    "already, or was made for another ceremony or user; ask for new options"
)


@router.get("", response_model=PasskeyList)
async def my_passkeys(actor: ActorDep, uow: UoWDep) -> PasskeyList:
    return await passkey_service.listing(uow=uow, actor=actor)


@router.post("/options", response_model=PasskeyOptions, responses=PASSWORD_CHECKED)
async def registration_options(
    data: PasswordCheck,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    settings: SettingsDep,
    throttle: ThrottleDep,
) -> PasskeyOptions:
    """After the current password: the options for `navigator.credentials.create()`
    (a discoverable credential, the caller's passkeys excluded) and the `challenge_id`
    to send back with its answer within 5 minutes."""
    return await passkey_service.registration_options(
        uow=uow,
        settings=settings,
        throttle=throttle,
        actor=actor,
        data=data,
        address=client_address(request),
    )


@router.post(
    "",
    response_model=Passkey,
    status_code=201,
    responses={
        400: _CHALLENGE,
        422: problem_response("The browser's answer does not verify (field `credential`)"),
    },
)
async def add_passkey(
    data: PasskeyRegistration,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    settings: SettingsDep,
) -> Passkey:
    """Stores the passkey `navigator.credentials.create()` made for the challenge: a
    second factor and a sign-in without password from now on."""
    return await passkey_service.register(
        uow=uow, settings=settings, actor=actor, data=data, address=client_address(request)
    )


@router.delete("/{passkey_id}", status_code=204, responses=PASSWORD_CHECKED)
async def remove_passkey(
    passkey_id: uuid.UUID,
    data: PasswordCheck,
    request: Request,
    actor: ActorDep,
    uow: UoWDep,
    throttle: ThrottleDep,
) -> Response:
    """Removes one of the caller's passkeys; the current password in the body confirms
    it (`{"password": …}`)."""
    await passkey_service.remove(
        uow=uow,
        throttle=throttle,
        actor=actor,
        passkey_id=passkey_id,
        data=data,
        address=client_address(request),
    )
    return Response(status_code=204)


@auth_router.post(
    "/login/mfa/passkey-options",
    response_model=PasskeyOptions,
    responses={
        401: problem_response("`mfa-token-invalid`: sign in again"),
        409: problem_response("The account has no passkey"),
    },
)
async def second_step_options(
    data: MfaTokenRequest, uow: UoWDep, settings: SettingsDep
) -> PasskeyOptions:
    """For a sign-in that answered `mfa-required` with `passkey` among its `factors`: the
    options for `navigator.credentials.get()` (the user's passkeys); send the answer to
    `POST /api/v1/auth/login/mfa` as `{mfa_token, challenge_id, credential}`."""
    return await passkey_service.second_step_options(uow=uow, settings=settings, data=data)


@auth_router.post("/passkey/options", response_model=PasskeyOptions, responses={429: THROTTLED})
async def sign_in_options(
    request: Request, uow: UoWDep, settings: SettingsDep, throttle: ThrottleDep
) -> PasskeyOptions:
    """The options of a sign-in without user name or password: any passkey of this
    portal the authenticator holds, which must verify its user (PIN, fingerprint)."""
    return await passkey_service.sign_in_options(
        uow=uow, settings=settings, throttle=throttle, address=client_address(request)
    )


@auth_router.post(
    "/passkey",
    response_model=TokenPair,
    responses={
        400: _CHALLENGE,
        401: problem_response(
            "`passkey-invalid` (unknown passkey, wrong signature or origin, inactive "
            "account) or `passkey-cloned` (its counter went back)"
        ),
        429: THROTTLED,
    },
)
async def sign_in(
    data: PasskeySignIn, client: ClientDep, uow: UoWDep, issuer: IssuerDep, throttle: ThrottleDep
) -> TokenPair:
    """Signs in with a passkey alone: the same answer as a password sign-in, with `amr`
    `["hwk", "user"]` (two factors: the key and the user it verified)."""
    return await passkey_service.sign_in(
        uow=uow, issuer=issuer, throttle=throttle, data=data, client=client
    )
