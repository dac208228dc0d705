from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.sessions.models import LoginAudit, OneTimeToken, RefreshToken, Revocation


class SessionRepository:
    """Refresh tokens, one-time tokens and the login audit."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: RefreshToken | OneTimeToken | LoginAudit | Revocation) -> None:
        self.session.add(row)

    async def refresh_token(self, token_hash: str) -> RefreshToken | None:
        return await self.session.scalar(
            select(RefreshToken).where(RefreshToken.token_hash == token_hash).with_for_update()
        )

    async def revoke_family(self, family_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def revoke_all_of(self, user_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(RefreshToken)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .values(revoked_at=at)
        )

    async def live_families_of(self, user_id: uuid.UUID) -> list[uuid.UUID]:
        rows = await self.session.scalars(
            select(RefreshToken.family_id)
            .where(RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None))
            .distinct()
        )
        return list(rows)

    async def revocations(self, *, since: datetime) -> list[Revocation]:
        rows = await self.session.scalars(
            select(Revocation).where(Revocation.revoked_at >= since).order_by(Revocation.revoked_at)
        )
        return list(rows)

    async def forget_revocations(self, *, before: datetime) -> None:
        await self.session.execute(delete(Revocation).where(Revocation.revoked_at < before))

    async def one_time_token(self, token_hash: str) -> OneTimeToken | None:
        return await self.session.scalar(
            select(OneTimeToken).where(OneTimeToken.token_hash == token_hash).with_for_update()
        )

    async def use_all_links_of(self, user_id: uuid.UUID, at: datetime) -> None:
        await self.session.execute(
            update(OneTimeToken)
            .where(OneTimeToken.user_id == user_id, OneTimeToken.used_at.is_(None))
            .values(used_at=at)
        )

    async def audit(self, *, username: str, limit: int) -> list[LoginAudit]:
        rows = await self.session.scalars(
            select(LoginAudit)
            .where(LoginAudit.username == username)
            .order_by(LoginAudit.created_at.desc())
            .limit(limit)
        )
        return list(rows)
