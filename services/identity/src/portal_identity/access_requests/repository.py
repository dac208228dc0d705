from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.access_requests.models import AccessRequest, RequestOrigin, RequestState
from portal_identity.accounts.models import User

# What deciders see: a request from the sign-in page only once its address is confirmed.
VISIBLE = AccessRequest.state != RequestState.UNCONFIRMED


class AccessRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, request: AccessRequest) -> None:
        self.session.add(request)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, request_id: uuid.UUID) -> AccessRequest | None:
        return await self.session.get(AccessRequest, request_id, with_for_update=True)

    async def pending_for(self, username: str) -> AccessRequest | None:
        return await self.session.scalar(
            select(AccessRequest).where(
                AccessRequest.username == username, AccessRequest.state == RequestState.PENDING
            )
        )

    async def open_for_email(self, email: str) -> AccessRequest | None:
        """The open request for the address (lower case): the sign-in page's unconfirmed
        or pending one, or a colleague's pending one."""
        return await self.session.scalar(
            select(AccessRequest)
            .where(
                func.lower(AccessRequest.email) == email,
                or_(
                    AccessRequest.state == RequestState.PENDING,
                    (AccessRequest.state == RequestState.UNCONFIRMED)
                    & (AccessRequest.origin == RequestOrigin.SIGN_IN),
                ),
            )
            .order_by(AccessRequest.created_at.desc())
            .limit(1)
            .with_for_update()
        )

    async def by_confirmation(self, token_digest: str) -> AccessRequest | None:
        return await self.session.scalar(
            select(AccessRequest)
            .where(AccessRequest.confirmation_digest == token_digest)
            .with_for_update()
        )

    async def active_users_with_email(self, email: str) -> list[User]:
        rows = await self.session.scalars(
            select(User)
            .where(func.lower(User.email) == email, User.active.is_(True))
            .order_by(User.created_at)
        )
        return list(rows)

    async def names_taken(self, prefix: str) -> set[str]:
        """User names starting with `prefix` (letters and digits only): those of users,
        and those pending requests asked for."""
        pattern = f"{prefix}%"
        users = await self.session.scalars(select(User.username).where(User.username.like(pattern)))
        asked = await self.session.scalars(
            select(AccessRequest.username).where(
                AccessRequest.username.like(pattern), AccessRequest.state == RequestState.PENDING
            )
        )
        return set(users) | set(asked)

    async def list(
        self, *, organization_id: uuid.UUID | None, state: RequestState | None, limit: int
    ) -> list[AccessRequest]:
        query = (
            select(AccessRequest)
            .where(VISIBLE)
            .order_by(AccessRequest.created_at.desc())
            .limit(limit)
        )
        if organization_id is not None:
            query = query.where(AccessRequest.organization_id == organization_id)
        if state is not None:
            query = query.where(AccessRequest.state == state)
        return list(await self.session.scalars(query))

    async def pending_count(
        self, *, organization_id: uuid.UUID | None, origin: RequestOrigin | None
    ) -> int:
        query = (
            select(func.count())
            .select_from(AccessRequest)
            .where(AccessRequest.state == RequestState.PENDING)
        )
        if organization_id is not None:
            query = query.where(AccessRequest.organization_id == organization_id)
        if origin is not None:
            query = query.where(AccessRequest.origin == origin)
        return int(await self.session.scalar(query) or 0)

    async def drop_unconfirmed(self, *, before: datetime) -> int:
        result = await self.session.execute(
            delete(AccessRequest).where(
                AccessRequest.state == RequestState.UNCONFIRMED,
                AccessRequest.confirmation_expires_at < before,
            )
        )
        return cast("CursorResult[Any]", result).rowcount or 0
