from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.mfa.models import (
    MfaChallenge,
    MfaRequiredRole,
    Passkey,
    PasskeyChallenge,
    RecoveryCode,
    TotpFactor,
)

Row = TotpFactor | RecoveryCode | MfaChallenge | MfaRequiredRole | Passkey | PasskeyChallenge


class MfaRepository:
    """TOTP factors, recovery codes, passkeys and their challenges, pending second steps
    and the policy. The methods
    that use something up are single conditional UPDATEs and say whether they did: of
    two parallel requests only one can (the other finds the row changed once the first
    committed)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Row) -> None:
        self.session.add(row)

    async def factor(self, user_id: uuid.UUID) -> TotpFactor | None:
        return await self.session.get(TotpFactor, user_id)

    async def enrolled(self, user_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            select(TotpFactor.user_id).where(
                TotpFactor.user_id == user_id, TotpFactor.confirmed_at.is_not(None)
            )
        )
        return found is not None

    async def use_step(self, user_id: uuid.UUID, step: int) -> bool:
        """Record `step` as used, unless it or a newer one was used already (a replay)."""
        result = await self.session.execute(
            update(TotpFactor)
            .where(
                TotpFactor.user_id == user_id,
                (TotpFactor.last_used_step.is_(None)) | (TotpFactor.last_used_step < step),
            )
            .values(last_used_step=step)
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def remove_factor(self, user_id: uuid.UUID) -> bool:
        """The factor, its recovery codes and its pending second steps; whether one was on."""
        on = await self.enrolled(user_id)
        for table in (RecoveryCode, MfaChallenge, TotpFactor):
            await self.session.execute(delete(table).where(table.user_id == user_id))
        return on

    async def replace_recovery_codes(self, user_id: uuid.UUID, digests: Iterable[str]) -> None:
        await self.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
        for code_hash in digests:
            self.session.add(RecoveryCode(user_id=user_id, code_hash=code_hash))

    async def use_recovery_code(self, user_id: uuid.UUID, code_hash: str, at: datetime) -> bool:
        result = await self.session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.user_id == user_id,
                RecoveryCode.code_hash == code_hash,
                RecoveryCode.used_at.is_(None),
            )
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def recovery_codes_left(self, user_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count())
            .select_from(RecoveryCode)
            .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
        )
        return int(count or 0)

    async def challenge(self, token_hash: str) -> MfaChallenge | None:
        # Locked: a second request with the same mfa_token waits for this one's outcome.
        return await self.session.scalar(
            select(MfaChallenge).where(MfaChallenge.token_hash == token_hash).with_for_update()
        )

    async def use_challenge(self, challenge_id: uuid.UUID, at: datetime) -> bool:
        result = await self.session.execute(
            update(MfaChallenge)
            .where(MfaChallenge.id == challenge_id, MfaChallenge.used_at.is_(None))
            .values(used_at=at)
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def count_failure(self, challenge_id: uuid.UUID) -> None:
        await self.session.execute(
            update(MfaChallenge)
            .where(MfaChallenge.id == challenge_id)
            .values(failures=MfaChallenge.failures + 1)
            .execution_options(synchronize_session=False)
        )

    async def forget_challenges(self, *, before: datetime) -> None:
        await self.session.execute(delete(MfaChallenge).where(MfaChallenge.expires_at < before))

    async def factors(self, user_id: uuid.UUID) -> list[str]:
        """The user's second factors that are on: `totp`, `passkey`, both or none."""
        found = ["totp"] if await self.enrolled(user_id) else []
        return found + (["passkey"] if await self.passkey_count(user_id) else [])

    # Passkeys.

    async def passkeys(self, user_id: uuid.UUID) -> list[Passkey]:
        return list(
            await self.session.scalars(
                select(Passkey)
                .where(Passkey.user_id == user_id)
                .order_by(Passkey.created_at, Passkey.id)
            )
        )

    async def passkey_count(self, user_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id)
        )
        return int(count or 0)

    async def passkey_of(self, user_id: uuid.UUID, passkey_id: uuid.UUID) -> Passkey | None:
        return await self.session.scalar(
            select(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id)
        )

    async def passkey_by_credential(self, credential_id: str) -> Passkey | None:
        return await self.session.scalar(
            select(Passkey).where(Passkey.credential_id == credential_id)
        )

    async def remove_passkey(self, user_id: uuid.UUID, passkey_id: uuid.UUID) -> bool:
        result = await self.session.execute(
            delete(Passkey).where(Passkey.id == passkey_id, Passkey.user_id == user_id)
        )
        return _changed(result)

    async def remove_passkeys(self, user_id: uuid.UUID) -> bool:
        """All of the user's passkeys and their ceremonies under way; whether any was."""
        result = await self.session.execute(delete(Passkey).where(Passkey.user_id == user_id))
        await self.session.execute(
            delete(PasskeyChallenge).where(PasskeyChallenge.user_id == user_id)
        )
        return isinstance(result, CursorResult) and result.rowcount > 0

    async def use_passkey(self, passkey_id: uuid.UUID, sign_count: int, at: datetime) -> bool:
        """Record a use with the authenticator's new counter, unless the stored one is as
        high or higher (a copied key; mfa/passkeys.py `counter_grew`): checked in the
        UPDATE itself, so two uses with the same counter cannot both pass."""
        # A counter of 0 means the authenticator keeps none: then it stays 0.
        grew = Passkey.sign_count < sign_count if sign_count else Passkey.sign_count == 0
        result = await self.session.execute(
            update(Passkey)
            .where(Passkey.id == passkey_id, grew)
            .values(sign_count=sign_count, last_used_at=at)
            .execution_options(synchronize_session=False)
        )
        return _changed(result)

    async def take_passkey_challenge(
        self, challenge_id: uuid.UUID, purpose: str, user_id: uuid.UUID | None, at: datetime
    ) -> str | None:
        """The challenge (base64url), used up in one UPDATE; None when it is unknown,
        expired, used, or made for another purpose or user (None: for nobody yet)."""
        owner = (
            PasskeyChallenge.user_id.is_(None)
            if user_id is None
            else PasskeyChallenge.user_id == user_id
        )
        result = await self.session.execute(
            update(PasskeyChallenge)
            .where(
                PasskeyChallenge.id == challenge_id,
                PasskeyChallenge.purpose == purpose,
                owner,
                PasskeyChallenge.used_at.is_(None),
                PasskeyChallenge.expires_at > at,
            )
            .values(used_at=at)
            .returning(PasskeyChallenge.challenge)
            .execution_options(synchronize_session=False)
        )
        return result.scalar_one_or_none()

    async def forget_passkey_challenges(self, *, before: datetime) -> None:
        await self.session.execute(
            delete(PasskeyChallenge).where(PasskeyChallenge.expires_at < before)
        )

    # The policy.

    async def required_roles(self) -> list[str]:
        return list(
            await self.session.scalars(select(MfaRequiredRole.role).order_by(MfaRequiredRole.role))
        )

    async def set_required_roles(self, roles: Iterable[str]) -> None:
        await self.session.execute(delete(MfaRequiredRole))
        for role in sorted(set(roles)):
            self.session.add(MfaRequiredRole(role=role))


def _changed(result: object) -> bool:
    return isinstance(result, CursorResult) and result.rowcount == 1
