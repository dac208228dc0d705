from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.access_requests.models import AccessRequest, RequestState


class AccessRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, request: AccessRequest) -> None:
        self.session.add(request)

    async def get(self, request_id: uuid.UUID) -> AccessRequest | None:
        return await self.session.get(AccessRequest, request_id, with_for_update=True)

    async def pending_for(self, username: str) -> AccessRequest | None:
        return await self.session.scalar(
            select(AccessRequest).where(
                AccessRequest.username == username, AccessRequest.state == RequestState.PENDING
            )
        )

    async def list(
        self, *, organization_id: uuid.UUID | None, state: RequestState | None, limit: int
    ) -> list[AccessRequest]:
        query = select(AccessRequest).order_by(AccessRequest.created_at.desc()).limit(limit)
        if organization_id is not None:
            query = query.where(AccessRequest.organization_id == organization_id)
        if state is not None:
            query = query.where(AccessRequest.state == state)
        return list(await self.session.scalars(query))
