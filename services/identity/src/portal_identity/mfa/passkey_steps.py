"""The steps every passkey ceremony shares, with storage: a challenge issued for one
purpose (and user) and used up once, and the check of a passkey's answer that also moves
its counter on. The use cases (`passkey_service.py`, the second step in `service.py`)
commit."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import Any

from portal_chassis.errors import Unauthorized
from portal_identity.accounts.models import User
from portal_identity.mfa import passkeys
from portal_identity.mfa.models import Passkey, PasskeyChallenge
from portal_identity.mfa.passkeys import RelyingParty
from portal_identity.mfa.rules import PasskeyChallengeInvalid, PasskeyCloned, PasskeyInvalid
from portal_identity.settings import IdentitySettings
from portal_identity.uow import IdentityUoW

log = logging.getLogger(__name__)


def issue_challenge(
    uow: IdentityUoW, purpose: str, user_id: uuid.UUID | None
) -> tuple[uuid.UUID, bytes]:
    """A fresh random challenge for `purpose` (bound to `user_id`, None: to whoever
    answers it), valid five minutes."""
    value = passkeys.new_challenge()
    now = datetime.now(UTC)
    row = PasskeyChallenge(
        id=uuid.uuid4(),
        challenge=passkeys.encode(value),
        purpose=purpose,
        user_id=user_id,
        expires_at=now + passkeys.CHALLENGE_LIFETIME,
        created_at=now,
    )
    uow.mfa.add(row)
    return row.id, value


async def take_challenge(
    uow: IdentityUoW, challenge_id: uuid.UUID, purpose: str, user_id: uuid.UUID | None
) -> bytes:
    """The challenge, used up; PasskeyChallengeInvalid when it is unknown, expired, used
    or not made for this purpose and user."""
    found = await uow.mfa.take_passkey_challenge(challenge_id, purpose, user_id, datetime.now(UTC))
    if found is None:
        raise PasskeyChallengeInvalid()
    return passkeys.decode(found)


async def claimed_passkey(uow: IdentityUoW, credential: dict[str, Any]) -> Passkey | None:
    """The stored passkey the answer names (its signature not yet checked)."""
    credential_id = passkeys.credential_id_of(credential)
    return await uow.mfa.passkey_by_credential(credential_id) if credential_id else None


async def use(
    uow: IdentityUoW,
    rp: RelyingParty,
    passkey: Passkey,
    credential: dict[str, Any],
    challenge: bytes,
    *,
    verify_user: bool,
) -> Unauthorized | None:
    """None when the answer is the passkey's signature of `challenge` and its counter
    grew (then recorded, with the time of use); else the refusal to answer with."""
    assertion = passkeys.verified_assertion(
        rp, credential, challenge, passkey, verify_user=verify_user
    )
    if assertion is None:
        return PasskeyInvalid()
    if not await uow.mfa.use_passkey(passkey.id, assertion.sign_count, datetime.now(UTC)):
        log.warning(
            "a passkey's counter went back: refused, it may have been copied",
            extra={"user_id": str(passkey.user_id), "passkey_id": str(passkey.id)},
        )
        return PasskeyCloned()
    return None


async def second_step(
    uow: IdentityUoW,
    settings: IdentitySettings,
    user: User,
    challenge_id: uuid.UUID,
    credential: dict[str, Any],
) -> Unauthorized | None:
    """The passkey instead of a code after the password: one of `user`'s own, answering
    the challenge issued for this step. None when it is right, else the refusal."""
    challenge = await take_challenge(uow, challenge_id, passkeys.SECOND_STEP, user.id)
    passkey = await claimed_passkey(uow, credential)
    if passkey is None or passkey.user_id != user.id:
        return PasskeyInvalid()
    return await use(
        uow, passkeys.relying_party(settings), passkey, credential, challenge, verify_user=False
    )
