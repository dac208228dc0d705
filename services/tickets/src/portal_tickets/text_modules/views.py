"""HTTP: text modules (the service desk reads and fills them in, administrators maintain
them; customers find no such routes)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from portal_chassis.auth import AdminDep, StaffDep
from portal_chassis.scopes import area_scope
from portal_tickets import name_cursor
from portal_tickets.deps import UoWDep
from portal_tickets.text_modules import service
from portal_tickets.text_modules.schemas import (
    Language,
    Rendered,
    RenderRequest,
    TextModuleCreate,
    TextModulePage,
    TextModuleRead,
    TextModuleUpdate,
)

router = APIRouter(
    prefix="/api/v1/text-modules",
    tags=["text modules"],
    dependencies=[Depends(area_scope("tickets"))],
)


@router.get("", response_model=TextModulePage)
async def list_text_modules(
    actor: StaffDep,
    uow: UoWDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    language: Language | None = None,
    cursor_: Annotated[str | None, Query(alias="cursor", max_length=2000)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 25,
) -> TextModulePage:
    """The service desk's text modules by name. `q` finds words in name, keywords and
    text (any case, also inside a word); `language` keeps those of one language."""
    modules = await service.list_text_modules(
        uow=uow,
        actor=actor,
        text=q,
        language=language,
        after=name_cursor.decode(cursor_) if cursor_ else None,
        limit=limit,
    )
    last = modules[-1] if len(modules) == limit else None
    next_cursor = name_cursor.encode(last.name, last.id) if last else None
    return TextModulePage(
        items=[TextModuleRead.model_validate(m) for m in modules], next_cursor=next_cursor
    )


@router.post("", status_code=201, response_model=TextModuleRead)
async def create_text_module(
    data: TextModuleCreate, actor: AdminDep, uow: UoWDep
) -> TextModuleRead:
    """Administrators only. The text may name only the known placeholders
    (`unknown_placeholder`) and must be a valid template (`template_syntax`)."""
    module = await service.create_text_module(uow=uow, data=data, actor=actor)
    return TextModuleRead.model_validate(module)


@router.get("/{module_id}", response_model=TextModuleRead)
async def get_text_module(module_id: uuid.UUID, actor: StaffDep, uow: UoWDep) -> TextModuleRead:
    module = await service.get_text_module(uow=uow, module_id=module_id, actor=actor)
    return TextModuleRead.model_validate(module)


@router.patch("/{module_id}", response_model=TextModuleRead)
async def update_text_module(
    module_id: uuid.UUID, data: TextModuleUpdate, actor: AdminDep, uow: UoWDep
) -> TextModuleRead:
    """Administrators only."""
    module = await service.update_text_module(uow=uow, module_id=module_id, data=data, actor=actor)
    return TextModuleRead.model_validate(module)


@router.delete("/{module_id}", status_code=204)
async def delete_text_module(module_id: uuid.UUID, actor: AdminDep, uow: UoWDep) -> Response:
    """Administrators only."""
    await service.delete_text_module(uow=uow, module_id=module_id, actor=actor)
    return Response(status_code=204)


@router.post("/{module_id}/render", response_model=Rendered)
async def render_text_module(
    module_id: uuid.UUID, data: RenderRequest, actor: StaffDep, uow: UoWDep
) -> Rendered:
    """The module filled in for a ticket: its text for the reply box and the status and
    priority inserting it sets. Changes nothing; the reply and the changes are sent as
    usual."""
    filled = await service.fill_in(uow=uow, module_id=module_id, number=data.ticket, actor=actor)
    return Rendered.model_validate(filled, from_attributes=True)
