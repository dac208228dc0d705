from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import select

from portal_chassis.app import get_uow
from portal_chassis.uow import UnitOfWork
from portal_faq.models import FaqCategory

router = APIRouter(prefix="/api/v1/faq", tags=["faq"])


class CategoryRead(BaseModel):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None


class CategoryList(BaseModel):
    items: list[CategoryRead]
    next_cursor: str | None = None


@router.get("/categories", response_model=CategoryList)
async def list_categories(uow: Annotated[UnitOfWork, Depends(get_uow)]) -> CategoryList:
    async with uow:
        rows = await uow.session.scalars(select(FaqCategory).order_by(FaqCategory.name))
        items = [CategoryRead(id=c.id, name=c.name, parent_id=c.parent_id) for c in rows]
    return CategoryList(items=items)
