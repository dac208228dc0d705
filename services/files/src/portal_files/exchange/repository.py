from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import datetime

from sqlalchemy import delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_files.attachments.models import StoredFile
from portal_files.exchange.models import Share, ShareAccess, ShareFile


class ShareRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, share: Share) -> None:
        self.session.add(share)

    async def get(self, share_id: uuid.UUID, *, lock: bool = False) -> Share | None:
        return await self.session.get(Share, share_id, with_for_update=lock)

    async def by_token_hash(self, token_hash: str) -> Share | None:
        return await self.session.scalar(select(Share).where(Share.token_hash == token_hash))

    async def created_by(self, user_id: uuid.UUID) -> list[Share]:
        rows = await self.session.scalars(
            select(Share).where(Share.created_by == user_id).order_by(Share.created_at.desc())
        )
        return list(rows)

    async def files(self, share_id: uuid.UUID) -> list[StoredFile]:
        rows = await self.session.scalars(
            select(StoredFile)
            .join(ShareFile, ShareFile.file_id == StoredFile.id)
            .where(ShareFile.share_id == share_id)
            .order_by(StoredFile.created_at)
        )
        return list(rows)

    async def file(self, share_id: uuid.UUID, file_id: uuid.UUID) -> StoredFile | None:
        return await self.session.scalar(
            select(StoredFile)
            .join(ShareFile, ShareFile.file_id == StoredFile.id)
            .where(ShareFile.share_id == share_id, StoredFile.id == file_id)
        )

    async def add_file(self, share_id: uuid.UUID, file_id: uuid.UUID) -> None:
        """Put a stored file (added in this transaction) behind the share's link."""
        await self.session.flush()  # the file's row first: the link refers to it
        self.session.add(ShareFile(share_id=share_id, file_id=file_id))

    def log(self, entry: ShareAccess) -> None:
        self.session.add(entry)

    async def access_log(self, share_id: uuid.UUID, *, limit: int) -> list[ShareAccess]:
        rows = await self.session.scalars(
            select(ShareAccess)
            .where(ShareAccess.share_id == share_id)
            .order_by(ShareAccess.at.desc())
            .limit(limit)
        )
        return list(rows)

    async def ended(self, now: datetime, *, limit: int) -> list[Share]:
        """Expired or revoked shares, locked; those another purge holds are skipped."""
        rows = await self.session.scalars(
            select(Share)
            .where(or_(Share.expires_at <= now, Share.revoked_at.is_not(None)))
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(rows)

    async def files_of(self, share_ids: Collection[uuid.UUID]) -> list[StoredFile]:
        if not share_ids:
            return []
        rows = await self.session.scalars(
            select(StoredFile)
            .join(ShareFile, ShareFile.file_id == StoredFile.id)
            .where(ShareFile.share_id.in_(share_ids))
        )
        return list(rows)

    async def delete(self, share_ids: Collection[uuid.UUID]) -> None:
        if share_ids:
            await self.session.execute(delete(Share).where(Share.id.in_(share_ids)))
