"""Who may administer what: pure checks over the actor, used by every area of the
service (accounts, organizations, access requests, OAuth clients)."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound

CUSTOMER_ROLES = frozenset({"customer", "customer_admin"})
STAFF_ROLES = frozenset({"agent", "admin"})


def require_admin(actor: Actor) -> None:
    # 404, not 403: administrative resources do not exist for everybody else.
    if not actor.is_admin:
        raise NotFound()


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise NotFound()


def can_manage_users_of(actor: Actor, organization_id: uuid.UUID | None) -> bool:
    if actor.is_admin:
        return True
    return (
        actor.has_role("customer_admin")
        and organization_id is not None
        and organization_id == actor.organization_id
    )


def can_grant(actor: Actor, roles: set[str]) -> bool:
    """Admins grant any role; customer admins customer roles only."""
    return actor.is_admin or roles <= CUSTOMER_ROLES
