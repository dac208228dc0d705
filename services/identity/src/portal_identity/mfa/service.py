"""Two-factor sign-in use cases: the second step of a sign-in (a code or a passkey), the
caller's own app (enrol, confirm, disable, new recovery codes, status), and for admins the
policy (which roles require a factor) and the reset of a user's factors. The caller's
passkeys are in `passkey_service.py`."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, InvalidInput, NotFound, Unauthorized
from portal_identity.accounts.models import User
from portal_identity.accounts.passwords import verify_password
from portal_identity.mfa import challenges, passkey_steps, rules
from portal_identity.mfa.events import UserMfaReset
from portal_identity.mfa.models import TotpFactor
from portal_identity.mfa.permissions import require_policy_admin
from portal_identity.mfa.rules import AMR_PASSWORD_AND_PASSKEY, AMR_TWO_FACTORS, InvalidCode
from portal_identity.mfa.schemas import (
    MfaLoginRequest,
    MfaPolicy,
    MfaStatus,
    PasswordCheck,
    RecoveryCodes,
    TotpConfirm,
    TotpEnrolment,
)
from portal_identity.mfa.sealing import SecretBox
from portal_identity.sessions.clients import ClientInfo
from portal_identity.sessions.schemas import TokenPair
from portal_identity.sessions.service import (
    Issuer,
    audit_row,
    count_attempt,
    finish_sign_in,
    renew_access_tokens,
)
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)

ALREADY_ON = "Two-factor sign-in is already on. Turn it off first to set up another app."
NOT_STARTED = "Start setting up two-factor sign-in first."
IS_OFF = "Two-factor sign-in is off."
WRONG_PASSWORD = "The password is wrong."
WRONG_CODE = "This code is not valid. Enter the current code from your app."
CHANGED_MEANWHILE = "It was changed at the same time. Load it again and retry."
# Where the command line's changes are recorded as coming from.
COMMAND_LINE = "command line"


# The second step of a sign-in.


async def complete_sign_in(
    *,
    uow: IdentityUoW,
    issuer: Issuer,
    throttle: LoginThrottle,
    data: MfaLoginRequest,
    client: ClientInfo,
) -> TokenPair:
    """The same answer as a password sign-in, once the code (or the passkey) is right.
    Each is counted by the sign-in throttle before it is checked, like a password."""
    address = client.address
    async with uow:
        challenge, user = await challenges.pending(uow, data.mfa_token)
        await count_attempt(uow, throttle, user.username, user, address)
        amr = await _second_factor(uow, issuer.settings, user, data)
        if isinstance(amr, Unauthorized):
            await challenges.failed(uow, challenge)
            uow.sessions.add(audit_row(user.username, user, "mfa_failure", address))
            await uow.commit()
            raise amr
        await challenges.complete(uow, challenge)
        return await finish_sign_in(
            uow, issuer, throttle, user, remember_me=challenge.remember_me, amr=amr, client=client
        )


async def _second_factor(
    uow: IdentityUoW, settings: IdentitySettings, user: User, data: MfaLoginRequest
) -> tuple[str, ...] | Unauthorized:
    """The sign-in's `amr` when the code or the passkey is right, else the refusal."""
    if data.code is not None:
        found = await challenges.check_code(uow, SecretBox.of(settings), user, data.code)
        return AMR_TWO_FACTORS if found is not None else InvalidCode()
    if data.challenge_id is None or data.credential is None:  # the schema rules this out
        return InvalidCode()
    refused = await passkey_steps.second_step(
        uow, settings, user, data.challenge_id, data.credential
    )
    return refused or AMR_PASSWORD_AND_PASSKEY


# The caller's own factor.


async def active_self(uow: IdentityUoW, actor: Actor) -> User:
    user = await uow.users.get(actor.id)
    if user is None or not user.active:
        raise Unauthorized("This account is no longer active.")
    return user


async def check_password(throttle: LoginThrottle, user: User, password: str, address: str) -> None:
    """The current password, guarded by the sign-in throttle: a stolen session must not
    become a way to guess it (nor to clear the count of wrong codes)."""
    await throttle.attempt(user.username, address)
    if not await verify_password(user.password_hash, password):
        raise InvalidInput(
            [{"field": "password", "message": WRONG_PASSWORD, "code": "password_wrong"}]
        )
    await throttle.password_passed(user.username, address)


async def _required(uow: IdentityUoW, user: User) -> bool:
    return bool(set(user.roles) & set(await uow.mfa.required_roles()))


async def renew_if_required(uow: IdentityUoW, user: User) -> None:
    """Tokens say `mfa_setup_due`; when that changes, the user's tokens are renewed at
    once (the browser's session does so unnoticed)."""
    if await _required(uow, user):
        await renew_access_tokens(uow, user_id=user.id, at=datetime.now(UTC))


async def status(*, uow: IdentityUoW, actor: Actor) -> MfaStatus:
    async with uow:
        user = await active_self(uow, actor)
        factor = await uow.mfa.factor(user.id)
        enrolled = factor is not None and factor.enrolled
        return MfaStatus(
            totp=enrolled,
            enrolled_at=factor.confirmed_at if factor is not None else None,
            recovery_codes_left=await uow.mfa.recovery_codes_left(user.id) if enrolled else 0,
            passkeys=await uow.mfa.passkey_count(user.id),
            required=await _required(uow, user),
        )


async def begin_totp(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    throttle: LoginThrottle,
    actor: Actor,
    data: PasswordCheck,
    address: str,
) -> TotpEnrolment:
    """A new secret for the caller's app; not on until a code confirms it. Starting again
    replaces a secret not yet confirmed."""
    secret = rules.new_secret()
    now = datetime.now(UTC)
    async with uow:
        user = await active_self(uow, actor)
        await check_password(throttle, user, data.password, address)
        factor = await uow.mfa.factor(user.id)
        if factor is not None and factor.enrolled:
            raise Conflict(ALREADY_ON)
        sealed = SecretBox.of(settings).seal(secret, user.id)
        if factor is None:
            uow.mfa.add(TotpFactor(user_id=user.id, secret=sealed, created_at=now))
        else:
            factor.secret, factor.last_used_step, factor.created_at = sealed, None, now
        try:
            await uow.commit()
        except IntegrityError as exc:  # a parallel start of the same user's enrolment
            raise Conflict(CHANGED_MEANWHILE) from exc
    uri = rules.otpauth_uri(secret, username=user.username, public_url=settings.portal.public_url)
    return TotpEnrolment(secret=secret, otpauth_uri=uri, qr_svg=rules.qr_svg(uri))


async def confirm_totp(
    *,
    uow: IdentityUoW,
    settings: IdentitySettings,
    actor: Actor,
    data: TotpConfirm,
    address: str,
) -> RecoveryCodes:
    """A code from the app proves it has the secret: the factor is on, with ten fresh
    recovery codes (shown only now)."""
    codes = rules.new_recovery_codes()
    async with uow:
        user = await active_self(uow, actor)
        factor = await uow.mfa.factor(user.id)
        if factor is None:
            raise Conflict(NOT_STARTED)
        if factor.enrolled:
            raise Conflict(ALREADY_ON)
        box = SecretBox.of(settings)
        if not await challenges.use_totp(uow, box, user, data.code.strip(), enrolled=False):
            raise InvalidInput([{"field": "code", "message": WRONG_CODE, "code": "code_invalid"}])
        factor.confirmed_at = datetime.now(UTC)
        await uow.mfa.replace_recovery_codes(user.id, rules.recovery_digests(user.id, codes))
        uow.sessions.add(audit_row(user.username, user, "mfa_enabled", address))
        await renew_if_required(uow, user)
        await uow.commit()
    return RecoveryCodes(recovery_codes=codes)


async def disable_totp(
    *,
    uow: IdentityUoW,
    throttle: LoginThrottle,
    actor: Actor,
    data: PasswordCheck,
    address: str,
) -> None:
    """Removes the app and the recovery codes (also an enrolment under way)."""
    async with uow:
        user = await active_self(uow, actor)
        await check_password(throttle, user, data.password, address)
        if await uow.mfa.remove_factor(user.id):
            uow.sessions.add(audit_row(user.username, user, "mfa_disabled", address))
            await renew_if_required(uow, user)
        await uow.commit()


async def new_recovery_codes(
    *,
    uow: IdentityUoW,
    throttle: LoginThrottle,
    actor: Actor,
    data: PasswordCheck,
    address: str,
) -> RecoveryCodes:
    """Ten new recovery codes; the old ones, used or not, no longer work."""
    codes = rules.new_recovery_codes()
    async with uow:
        user = await active_self(uow, actor)
        await check_password(throttle, user, data.password, address)
        if not await uow.mfa.enrolled(user.id):
            raise Conflict(IS_OFF)
        await uow.mfa.replace_recovery_codes(user.id, rules.recovery_digests(user.id, codes))
        uow.sessions.add(audit_row(user.username, user, "mfa_new_codes", address))
        await uow.commit()
    return RecoveryCodes(recovery_codes=codes)


# Administration.


async def get_policy(*, uow: IdentityUoW, actor: Actor) -> MfaPolicy:
    require_policy_admin(actor)
    async with uow:
        return MfaPolicy.model_validate({"required_roles": await uow.mfa.required_roles()})


async def set_policy(*, uow: IdentityUoW, actor: Actor, data: MfaPolicy) -> MfaPolicy:
    """Tokens say `mfa_setup_due` from their next renewal on (within 15 minutes)."""
    require_policy_admin(actor)
    async with uow:
        await uow.mfa.set_required_roles(data.required_roles)
        try:
            await uow.commit()
        except IntegrityError as exc:  # a parallel change of the policy
            raise Conflict(CHANGED_MEANWHILE) from exc
    log.info(
        "two-factor policy changed",
        extra={"actor_id": str(actor.id), "required_roles": sorted(set(data.required_roles))},
    )
    return MfaPolicy.model_validate({"required_roles": sorted(set(data.required_roles))})


async def _reset(uow: IdentityUoW, user: User, actor_id: uuid.UUID | None, address: str) -> bool:
    had_app = await uow.mfa.remove_factor(user.id)
    had_passkeys = await uow.mfa.remove_passkeys(user.id)
    if not had_app and not had_passkeys:
        return False
    uow.emit(
        UserMfaReset(
            user_id=user.id,
            username=user.username,
            email=user.email,
            display_name=user.display_name,
            language=user.language,
            actor_id=actor_id,
        )
    )
    uow.sessions.add(audit_row(user.username, user, "mfa_reset", address))
    await renew_if_required(uow, user)
    log.warning(
        "second factor reset",
        extra={"user_id": str(user.id), "actor_id": str(actor_id) if actor_id else None},
    )
    return True


async def reset(*, uow: IdentityUoW, actor: Actor, user_id: uuid.UUID, address: str) -> None:
    """An admin removes a user's second factors (lost phone or key): the app, the
    recovery codes and every passkey; the user is mailed. A user without one is left as
    they are."""
    require_policy_admin(actor)
    async with uow:
        user = await uow.users.get(user_id)
        if user is None:
            raise NotFound("No such user.")
        await _reset(uow, user, actor.id, address)
        await uow.commit()


async def reset_by_username(*, uow: IdentityUoW, username: str) -> bool | None:
    """The operator's reset (`portal identity reset-mfa`), for when no admin can sign in:
    None for an unknown user, else whether a factor was removed."""
    async with uow:
        user = await uow.users.get_by_username(username)
        if user is None:
            return None
        done = await _reset(uow, user, None, COMMAND_LINE)
        await uow.commit()
        return done
