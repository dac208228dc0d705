from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import ColumnElement, literal, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.text import strip_control_characters
from portal_tickets.text_modules.models import TextModule

MAX_TERMS = 5


def _like(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass
class TextModuleQuery:
    text: str | None = None
    language: str | None = None
    after: tuple[str, uuid.UUID] | None = None  # (name, id) of the last row seen
    limit: int = 25

    def conditions(self) -> list[ColumnElement[bool]]:
        where: list[ColumnElement[bool]] = []
        if self.language is not None:
            where.append(TextModule.language == self.language)
        # Each word must occur in name, keywords or body (any case, also inside a word).
        text = strip_control_characters(self.text or "", keep_lines=False)
        for term in text.casefold().split()[:MAX_TERMS]:
            where.append(TextModule.search_text.like(_like(term), escape="\\"))
        if self.after is not None:
            name, last = self.after
            position = tuple_(TextModule.name, TextModule.id)
            where.append(
                position
                > tuple_(literal(name, TextModule.name.type), literal(last, TextModule.id.type))
            )
        return where


class TextModuleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, module: TextModule) -> None:
        self.session.add(module)

    async def delete(self, module: TextModule) -> None:
        await self.session.delete(module)

    async def get(self, module_id: uuid.UUID, *, lock: bool = False) -> TextModule | None:
        query = select(TextModule).where(TextModule.id == module_id)
        if lock:
            query = query.with_for_update()
        return await self.session.scalar(query)

    async def by_name(self, name: str, language: str) -> TextModule | None:
        return await self.session.scalar(
            select(TextModule).where(TextModule.name == name, TextModule.language == language)
        )

    async def page(self, query: TextModuleQuery) -> list[TextModule]:
        rows = await self.session.scalars(
            select(TextModule)
            .where(*query.conditions())
            .order_by(TextModule.name, TextModule.id)
            .limit(query.limit)
        )
        return list(rows)
