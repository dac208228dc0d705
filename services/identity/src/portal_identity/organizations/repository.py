from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_identity.organizations.models import Organization, OrganizationDomain


class OrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, organization: Organization) -> None:
        self.session.add(organization)

    async def get(self, organization_id: uuid.UUID) -> Organization | None:
        return await self.session.get(Organization, organization_id)

    async def get_by_name(self, name: str) -> Organization | None:
        return await self.session.scalar(select(Organization).where(Organization.name == name))

    async def by_email_domain(self, domain: str) -> Organization | None:
        """The active organization whose people write from `domain` (lower case)."""
        return await self.session.scalar(
            select(Organization)
            .join(OrganizationDomain)
            .where(OrganizationDomain.domain == domain.lower(), Organization.active.is_(True))
        )

    async def domain_owner(self, domain: str) -> uuid.UUID | None:
        return await self.session.scalar(
            select(OrganizationDomain.organization_id).where(OrganizationDomain.domain == domain)
        )

    async def list(self, *, after: str | None, limit: int) -> list[Organization]:
        query = select(Organization).order_by(Organization.name).limit(limit)
        if after is not None:
            query = query.where(Organization.name > after)
        return list(await self.session.scalars(query))
