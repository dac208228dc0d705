"""Who sees and changes contracts and business calendars: admins write, the service
desk reads everything, customers read their own organization's contracts and terms.
Anything else does not exist for the caller (404, never 403)."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound
from portal_tickets.contracts.models import Contract

NO_CONTRACT = "No such contract."
NO_ORGANIZATION = "No such organization."


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotFound()


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise NotFound()


def may_read_contract(actor: Actor, contract: Contract) -> bool:
    return actor.is_staff or contract.organization_id == actor.organization_id


def readable_organization(actor: Actor, organization_id: uuid.UUID | None) -> uuid.UUID | None:
    """The organization whose contracts or terms the actor asks for: staff any (None:
    all, or the vendor's own tickets), customers their own (when they name none too)."""
    if actor.is_staff:
        return organization_id
    if organization_id not in (None, actor.organization_id) or actor.organization_id is None:
        raise NotFound(NO_ORGANIZATION)
    return actor.organization_id
