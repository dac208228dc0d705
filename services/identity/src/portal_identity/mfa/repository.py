from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import CursorResult, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.mfa.models import MfaChallenge, MfaRequiredRole, RecoveryCode, TotpFactor


class MfaRepository:
    """TOTP factors, recovery codes, pending second steps and the policy. The methods
    that use something up are single conditional UPDATEs and say whether they did: of
    two parallel requests only one can (the other finds the row changed once the first
    committed)."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: TotpFactor | RecoveryCode | MfaChallenge | MfaRequiredRole) -> None:
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
