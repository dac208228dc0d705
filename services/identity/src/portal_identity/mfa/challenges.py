"""The second step of a sign-in, shared by the API (`/api/v1/auth/login/mfa`) and the
OpenID Connect sign-in page: the mfa_token that continues a sign-in whose password was
right, and the check of a code (TOTP or recovery), each use of which is atomic."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime

from portal_identity.accounts.models import User
from portal_identity.mfa import rules
from portal_identity.mfa.models import MfaChallenge
from portal_identity.mfa.rules import MAX_CODE_FAILURES, MFA_TOKEN_LIFETIME, MfaTokenInvalid
from portal_identity.mfa.sealing import SecretBox, SecretUnreadable
from portal_identity.sessions.secrets import digest, new_token
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)


def clock() -> float:
    """The time TOTP codes are checked against (tests set it to a fixed instant)."""
    return time.time()


def start(uow: IdentityUoW, user: User, *, remember_me: bool) -> str:
    """A new mfa_token for `user`; only its digest is stored. The caller commits."""
    token = new_token()
    now = datetime.now(UTC)
    uow.mfa.add(
        MfaChallenge(
            id=uuid.uuid4(),
            token_hash=digest(token),
            user_id=user.id,
            remember_me=remember_me,
            failures=0,
            expires_at=now + MFA_TOKEN_LIFETIME,
            created_at=now,
        )
    )
    return token


async def pending(uow: IdentityUoW, mfa_token: str) -> tuple[MfaChallenge, User]:
    """The sign-in the token continues, locked until the caller's commit, and its user;
    MfaTokenInvalid when it is unknown, expired, used, worn out by wrong codes, or its
    user cannot sign in any more."""
    challenge = await uow.mfa.challenge(digest(mfa_token)) if mfa_token else None
    if (
        challenge is None
        or challenge.used_at is not None
        or challenge.expires_at <= datetime.now(UTC)
        or challenge.failures >= MAX_CODE_FAILURES
    ):
        raise MfaTokenInvalid()
    user = await uow.users.get(challenge.user_id)
    if user is None or not user.active:
        raise MfaTokenInvalid()
    return challenge, user


async def failed(uow: IdentityUoW, challenge: MfaChallenge) -> None:
    await uow.mfa.count_failure(challenge.id)


async def complete(uow: IdentityUoW, challenge: MfaChallenge) -> None:
    """Use the token up; MfaTokenInvalid if a parallel request did so first."""
    if not await uow.mfa.use_challenge(challenge.id, datetime.now(UTC)):
        raise MfaTokenInvalid()


async def check_code(uow: IdentityUoW, box: SecretBox, user: User, code: str) -> str | None:
    """Which method `code` is right for ("totp" or "recovery"), using it up; None if it is
    wrong, a replay, or a recovery code used before. Changes are the caller's to commit."""
    code = code.strip().replace(" ", "")
    if rules.is_totp_code(code):
        return "totp" if await use_totp(uow, box, user, code, enrolled=True) else None
    normalized = rules.normalized_recovery_code(code)
    if normalized is None:
        return None
    digest_ = rules.recovery_digest(user.id, normalized)
    if await uow.mfa.use_recovery_code(user.id, digest_, datetime.now(UTC)):
        return "recovery"
    return None


async def use_totp(
    uow: IdentityUoW, box: SecretBox, user: User, code: str, *, enrolled: bool
) -> bool:
    """Whether `code` is the user's current TOTP code (one step either side), recording
    its step so that it never works again. `enrolled`: of the factor that is on, else of
    the enrolment under way."""
    factor = await uow.mfa.factor(user.id)
    if factor is None or factor.enrolled != enrolled:
        return False
    try:
        secret = box.open(factor.secret, user.id)
    except SecretUnreadable:
        log.error("a TOTP secret cannot be decrypted", extra={"user_id": str(user.id)})
        return False
    step = rules.matching_step(secret, code, clock())
    return step is not None and await uow.mfa.use_step(user.id, step)


async def forget_expired(uow: IdentityUoW) -> None:
    """Drop second steps and passkey challenges nobody can complete any more."""
    async with uow:
        await uow.mfa.forget_challenges(before=datetime.now(UTC) - MFA_TOKEN_LIFETIME)
        await uow.mfa.forget_passkey_challenges(before=datetime.now(UTC))
        await uow.commit()
