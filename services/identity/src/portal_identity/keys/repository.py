from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.keys.models import SigningKey


class SigningKeyRepository:
    """The signing keys; retired ones stay as rows but are no longer published."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, key: SigningKey) -> None:
        self.session.add(key)

    async def newest(self) -> SigningKey | None:
        return await self.session.scalar(
            select(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .order_by(SigningKey.created_at.desc(), SigningKey.kid.desc())
            .limit(1)
        )

    async def published(self) -> list[SigningKey]:
        """The keys not retired, oldest first."""
        rows = await self.session.scalars(
            select(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .order_by(SigningKey.created_at)
        )
        return list(rows)

    async def retire(self, kid: str, at: datetime) -> None:
        await self.session.execute(
            update(SigningKey).where(SigningKey.kid == kid).values(retired_at=at)
        )
