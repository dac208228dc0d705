from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends

from portal_chassis.auth import ActorDep, AdminDep
from portal_chassis.scopes import area_scope
from portal_tickets.catalog import service
from portal_tickets.catalog.models import Template
from portal_tickets.catalog.schemas import (
    Question,
    SubjectAreaRead,
    SubjectAreaWrite,
    Taxonomy,
    TemplateCreate,
    TemplateList,
    TemplateRead,
    TemplateUpdate,
)
from portal_tickets.deps import UoWDep

router = APIRouter(tags=["templates and taxonomy"], dependencies=[Depends(area_scope("tickets"))])


def _read(t: Template) -> TemplateRead:
    return TemplateRead(
        id=t.id,
        group=t.group,
        name=t.name,
        description=t.description,
        name_de=t.name_de,
        description_de=t.description_de,
        category=t.category,
        subject_area=t.subject_area,
        guide=[Question.model_validate(q) for q in t.guide],
        active=t.active,
    )


@router.get("/api/v1/ticket-templates", response_model=TemplateList)
async def list_templates(actor: ActorDep, uow: UoWDep) -> TemplateList:
    return TemplateList(
        items=[_read(t) for t in await service.available_templates(uow=uow, actor=actor)]
    )


@router.post("/api/v1/ticket-templates", status_code=201, response_model=TemplateRead)
async def create_template(data: TemplateCreate, actor: AdminDep, uow: UoWDep) -> TemplateRead:
    return _read(await service.create_template(uow=uow, data=data, actor=actor))


@router.patch("/api/v1/ticket-templates/{template_id}", response_model=TemplateRead)
async def update_template(
    template_id: uuid.UUID, data: TemplateUpdate, actor: AdminDep, uow: UoWDep
) -> TemplateRead:
    template = await service.update_template(
        uow=uow, template_id=template_id, data=data, actor=actor
    )
    return _read(template)


@router.get("/api/v1/ticket-taxonomy", response_model=Taxonomy)
async def get_taxonomy(actor: ActorDep, uow: UoWDep) -> Taxonomy:
    areas = await service.taxonomy(uow=uow, actor=actor)
    return Taxonomy(items=[SubjectAreaRead.model_validate(a) for a in areas])


@router.put("/api/v1/ticket-taxonomy/{name}", response_model=SubjectAreaRead)
async def put_subject_area(
    name: str, data: SubjectAreaWrite, actor: AdminDep, uow: UoWDep
) -> SubjectAreaRead:
    area = await service.put_subject_area(
        uow=uow, data=data.model_copy(update={"name": name}), actor=actor
    )
    return SubjectAreaRead.model_validate(area)
