"""Who sees and changes templates and the taxonomy."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_tickets.catalog.models import SubjectArea, Template


def require_admin(actor: Actor) -> None:
    """Templates and the taxonomy are an admin's to change; to anyone else the change
    does not exist."""
    if not actor.is_admin:
        raise NotFound()


def may_use_template(actor: Actor, template: Template, organization_id: uuid.UUID | None) -> bool:
    """The service desk uses any template; customers the active ones offered to their
    organization (`organization_id`)."""
    return actor.is_staff or template.available_to(organization_id)


def visible_templates(actor: Actor, templates: list[Template]) -> list[Template]:
    return [t for t in templates if may_use_template(actor, t, actor.organization_id)]


def visible_subject_areas(actor: Actor, areas: list[SubjectArea]) -> list[SubjectArea]:
    """Customers see the active subject areas; the service desk sees all of them."""
    return areas if actor.is_staff else [a for a in areas if a.active]
