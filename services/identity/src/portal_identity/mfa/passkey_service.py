"""Passkey use cases: the caller's own passkeys (list, add with the current password,
remove), the options of a second step by passkey, and the password-less sign-in."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound, TooManyRequests, Unauthorized
from portal_chassis.ratelimit import Limit
from portal_identity.accounts.models import User
from portal_identity.mfa import challenges, passkey_steps, passkeys
from portal_identity.mfa.models import Passkey
from portal_identity.mfa.rules import AMR_PASSKEY, PasskeyInvalid
from portal_identity.mfa.schemas import (
    MfaTokenRequest,
    PasskeyList,
    PasskeyOptions,
    PasskeyRegistration,
    PasskeySignIn,
    PasswordCheck,
)
from portal_identity.mfa.schemas import Passkey as PasskeyOut
from portal_identity.mfa.service import (
    CHANGED_MEANWHILE,
    active_self,
    check_password,
    renew_if_required,
)
from portal_identity.sessions.clients import ClientInfo
from portal_identity.sessions.schemas import TokenPair
from portal_identity.sessions.service import Issuer, audit_row, count_attempt, finish_sign_in
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)

TOO_MANY = f"You have {passkeys.MAX_PASSKEYS} passkeys. Remove one before adding another."
ALREADY_ADDED = "This passkey is added already."
NOT_VERIFIED = "The passkey could not be verified. Try again."
NO_PASSKEY = "This account has no passkey."
NO_SUCH_PASSKEY = "No such passkey."
# Options of the password-less sign-in are asked without an account: each stores a
# challenge, so an address gets a bounded number a minute.
OPTIONS_PER_ADDRESS = Limit(count=30, window_seconds=60)
TOO_MANY_OPTIONS = "Too many passkey requests. Wait a minute."


# The caller's own passkeys.


async def listing(*, uow: IdentityUoW, actor: Actor) -> PasskeyList:
    async with uow:
        user = await active_self(uow, actor)
        rows = await uow.mfa.passkeys(user.id)
        return PasskeyList(items=[PasskeyOut.model_validate(row) for row in rows])


async def registration_options(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    throttle: LoginThrottle,
    actor: Actor,
    data: PasswordCheck,
    address: str,
) -> PasskeyOptions:
    """The options for `navigator.credentials.create()`, after the current password
    (guarded by the sign-in throttle, like the app's enrolment)."""
    async with uow:
        user = await active_self(uow, actor)
        await check_password(throttle, user, data.password, address)
        existing = await uow.mfa.passkeys(user.id)
        if len(existing) >= passkeys.MAX_PASSKEYS:
            raise Conflict(TOO_MANY)
        challenge_id, challenge = passkey_steps.issue_challenge(uow, passkeys.REGISTER, user.id)
        options = passkeys.registration_options(
            passkeys.relying_party(settings), user, challenge, existing
        )
        await uow.commit()
    return PasskeyOptions(challenge_id=challenge_id, options=options)


async def register(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    actor: Actor,
    data: PasskeyRegistration,
    address: str,
) -> PasskeyOut:
    """Stores the passkey the browser created for the caller's challenge; from now on it
    is a second factor and a sign-in without password."""
    now = datetime.now(UTC)
    async with uow:
        user = await active_self(uow, actor)
        challenge = await passkey_steps.take_challenge(
            uow, data.challenge_id, passkeys.REGISTER, user.id
        )
        rp = passkeys.relying_party(settings)
        new = passkeys.verified_registration(rp, data.credential, challenge)
        if new is None or await uow.mfa.passkey_by_credential(new.credential_id) is not None:
            await uow.commit()  # the challenge stays used
            if new is None:
                raise InvalidInput(
                    [{"field": "credential", "message": NOT_VERIFIED, "code": "passkey_invalid"}]
                )
            raise Conflict(ALREADY_ADDED)
        row = Passkey(
            id=uuid.uuid4(),
            user_id=user.id,
            credential_id=new.credential_id,
            public_key=new.public_key,
            sign_count=new.sign_count,
            transports=new.transports,
            name=data.name,
            created_at=now,
        )
        uow.mfa.add(row)
        uow.sessions.add(audit_row(user.username, user, "passkey_added", address))
        await renew_if_required(uow, user)
        try:
            await uow.commit()
        except IntegrityError as exc:  # the same passkey added by a parallel request
            raise Conflict(CHANGED_MEANWHILE) from exc
    return PasskeyOut.model_validate(row)


async def remove(
    *,
    uow: IdentityUoW,
    throttle: LoginThrottle,
    actor: Actor,
    passkey_id: uuid.UUID,
    data: PasswordCheck,
    address: str,
) -> None:
    """Removes one of the caller's passkeys (the current password confirms it); another
    person's is a 404 like an unknown one."""
    async with uow:
        user = await active_self(uow, actor)
        if await uow.mfa.passkey_of(user.id, passkey_id) is None:
            raise NotFound(NO_SUCH_PASSKEY)
        await check_password(throttle, user, data.password, address)
        if not await uow.mfa.remove_passkey(user.id, passkey_id):
            raise NotFound(NO_SUCH_PASSKEY)
        uow.sessions.add(audit_row(user.username, user, "passkey_removed", address))
        await renew_if_required(uow, user)
        await uow.commit()


# Signing in.


async def second_step_options(
    *, uow: IdentityUoW, settings: IdentitySettings, data: MfaTokenRequest
) -> PasskeyOptions:
    """The options for `navigator.credentials.get()` in a sign-in's second step: the
    user's own passkeys only."""
    async with uow:
        _, user = await challenges.pending(uow, data.mfa_token)
        own = await uow.mfa.passkeys(user.id)
        if not own:
            raise Conflict(NO_PASSKEY)
        challenge_id, challenge = passkey_steps.issue_challenge(uow, passkeys.SECOND_STEP, user.id)
        rp = passkeys.relying_party(settings)
        options = passkeys.authentication_options(rp, challenge, own, verify_user=False)
        await uow.commit()
    return PasskeyOptions(challenge_id=challenge_id, options=options)


async def sign_in_options(
    *, uow: IdentityUoW, settings: IdentitySettings, throttle: LoginThrottle, address: str
) -> PasskeyOptions:
    """The options of a sign-in without user name or password: any passkey of this
    portal (discoverable), which must verify its user (PIN, fingerprint): the passkey is
    then both factors."""
    usage = await throttle.limiter.hit(f"passkey:options:{address}", OPTIONS_PER_ADDRESS)
    if usage.count > OPTIONS_PER_ADDRESS.count:
        raise TooManyRequests(TOO_MANY_OPTIONS, retry_after=usage.retry_after)
    async with uow:
        challenge_id, challenge = passkey_steps.issue_challenge(uow, passkeys.SIGN_IN, None)
        rp = passkeys.relying_party(settings)
        options = passkeys.authentication_options(rp, challenge, [], verify_user=True)
        await uow.commit()
    return PasskeyOptions(challenge_id=challenge_id, options=options)


def _handle_matches(user: User, credential: dict[str, Any]) -> bool:
    """A discoverable passkey names its account (the user handle we gave it)."""
    return passkeys.user_handle_of(credential) == user.id.bytes


async def sign_in(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    data: PasskeySignIn,
    client: ClientInfo,
) -> TokenPair:
    """The password-less sign-in: the same answer as a password sign-in. Failures count
    in the sign-in throttle like wrong passwords (the passkey's account, else only the
    address); an inactive account is refused like an unknown passkey."""
    address = client.address
    async with uow:
        challenge = await passkey_steps.take_challenge(
            uow, data.challenge_id, passkeys.SIGN_IN, None
        )
        passkey = await passkey_steps.claimed_passkey(uow, data.credential)
        user = await uow.users.get(passkey.user_id) if passkey is not None else None
        username = user.username if user is not None else ""
        await count_attempt(uow, throttle, username, user, address, account=user is not None)
        refused: Unauthorized | None = PasskeyInvalid()
        if passkey and user and user.active and _handle_matches(user, data.credential):
            rp = passkeys.relying_party(issuer.settings)
            refused = await passkey_steps.use(
                uow, rp, passkey, data.credential, challenge, verify_user=True
            )
        if refused is not None or user is None:
            uow.sessions.add(audit_row(username, user, "passkey_failure", address))
            await uow.commit()
            raise refused or PasskeyInvalid()
        return await finish_sign_in(
            uow,
            issuer,
            throttle,
            user,
            remember_me=data.remember_me,
            amr=AMR_PASSKEY,
            client=client,
            outcome="passkey_success",
        )
