"""Templates, conversation guides and the taxonomy: use cases."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_tickets.catalog.models import SubjectArea, Template, TemplateGroup
from portal_tickets.catalog.permissions import (
    require_admin,
    visible_subject_areas,
    visible_templates,
)
from portal_tickets.catalog.schemas import SubjectAreaWrite, TemplateCreate, TemplateUpdate
from portal_tickets.uow import TicketsUoW

GROUP_CATEGORY = {
    TemplateGroup.INCIDENT_REPORT: "incident",
    TemplateGroup.SERVICE_REQUEST: "service_request",
    TemplateGroup.CHANGE_REQUEST: "change_request",
}


async def available_templates(*, uow: TicketsUoW, actor: Actor) -> list[Template]:
    async with uow:
        templates = await uow.catalog.templates()
    return visible_templates(actor, templates)


async def create_template(*, uow: TicketsUoW, data: TemplateCreate, actor: Actor) -> Template:
    require_admin(actor)
    async with uow:
        template = Template(
            id=uuid.uuid4(),
            group=data.group,
            name=data.name,
            description=data.description,
            name_de=data.name_de or None,
            description_de=data.description_de or None,
            category=data.category or GROUP_CATEGORY[data.group],
            subject_area=data.subject_area,
            guide=[q.model_dump() for q in data.guide],
            organization_ids=[str(o) for o in data.organization_ids],
            active=data.active,
        )
        uow.catalog.add(template)
        await uow.commit()
    return template


async def update_template(
    *, uow: TicketsUoW, template_id: uuid.UUID, data: TemplateUpdate, actor: Actor
) -> Template:
    require_admin(actor)
    async with uow:
        template = await uow.catalog.template(template_id)
        if template is None:
            raise NotFound("No such template.")
        changes = data.model_dump(exclude_unset=True, exclude_none=True)
        if "guide" in changes:
            changes["guide"] = [q.model_dump() for q in data.guide or []]
        for wording in ("name_de", "description_de"):
            if wording in changes:
                changes[wording] = changes[wording] or None
        if "organization_ids" in changes:
            changes["organization_ids"] = [str(o) for o in data.organization_ids or []]
        for field, value in changes.items():
            setattr(template, field, value)
        await uow.commit()
    return template


async def taxonomy(*, uow: TicketsUoW, actor: Actor) -> list[SubjectArea]:
    async with uow:
        areas = await uow.catalog.subject_areas()
    return visible_subject_areas(actor, areas)


async def put_subject_area(*, uow: TicketsUoW, data: SubjectAreaWrite, actor: Actor) -> SubjectArea:
    require_admin(actor)
    async with uow:
        area = await uow.catalog.subject_area(data.name)
        if area is None:
            area = SubjectArea(name=data.name)
            uow.catalog.add(area)
        area.subtypes = list(dict.fromkeys(data.subtypes))
        # German wording not sent (a form that has no fields for it) is kept, as far as
        # its subtypes still exist; an empty text removes it.
        if "name_de" in data.model_fields_set:
            area.name_de = data.name_de or None
        german = data.subtypes_de if "subtypes_de" in data.model_fields_set else area.subtypes_de
        area.subtypes_de = {k: v for k, v in (german or {}).items() if v and k in area.subtypes}
        area.active = data.active
        await uow.commit()
    return area
