from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.catalog.models import SubjectArea, Template


class CatalogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, row: Template | SubjectArea) -> None:
        self.session.add(row)

    async def template(self, template_id: uuid.UUID) -> Template | None:
        return await self.session.get(Template, template_id)

    async def templates(self) -> list[Template]:
        rows = await self.session.scalars(select(Template).order_by(Template.group, Template.name))
        return list(rows)

    async def subject_area(self, name: str) -> SubjectArea | None:
        return await self.session.get(SubjectArea, name)

    async def subject_areas(self) -> list[SubjectArea]:
        return list(await self.session.scalars(select(SubjectArea).order_by(SubjectArea.name)))
