from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.accounts.models import User, UserRole
from portal_identity.organizations.models import Organization


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, user: User) -> None:
        self.session.add(user)

    async def flush(self) -> None:
        """Write the users added so far, so that rows referring to them may follow."""
        await self.session.flush()

    async def get(self, user_id: uuid.UUID) -> User | None:
        return await self.session.get(User, user_id)

    async def get_by_username(self, username: str) -> User | None:
        return await self.session.scalar(select(User).where(User.username == username))

    async def any_admin(self) -> bool:
        found = await self.session.scalar(
            select(UserRole.user_id)
            .join(User, User.id == UserRole.user_id)
            .where(UserRole.role == "admin", User.active.is_(True))
            .limit(1)
        )
        return found is not None

    async def list(
        self,
        *,
        organization_id: uuid.UUID | None,
        after: str | None,
        limit: int,
        roles: set[str] | None = None,
        text: str | None = None,
    ) -> list[User]:
        query = select(User).order_by(User.username).limit(limit)
        if organization_id is not None:
            query = query.where(User.organization_id == organization_id)
        if text:
            query = query.where(_matching(text))
        if roles:
            query = query.where(
                User.id.in_(select(UserRole.user_id).where(UserRole.role.in_(roles)))
            )
        if after is not None:
            query = query.where(User.username > after)
        return list(await self.session.scalars(query))


def _matching(text: str) -> ColumnElement[bool]:
    """Users whose username, name, e-mail address or organization's name contains
    `text`, in any case (the desk finds a caller by what they say on the phone)."""
    folded = text.lower()
    org_names = select(Organization.id).where(
        func.lower(Organization.name).contains(folded, autoescape=True)
    )
    return or_(
        func.lower(User.username).contains(folded, autoescape=True),
        func.lower(User.display_name).contains(folded, autoescape=True),
        func.lower(User.email).contains(folded, autoescape=True),
        User.organization_id.in_(org_names),
    )
