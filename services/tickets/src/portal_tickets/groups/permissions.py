"""Who sees and changes agent groups and routing rules: the service desk reads them,
admins write them; for anyone else they do not exist (404, never 403). On a ticket the
group is the service desk's: customers neither see nor set it."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound


def require_staff(actor: Actor) -> None:
    if not actor.is_staff:
        raise NotFound()


def require_admin(actor: Actor) -> None:
    if not actor.is_admin:
        raise NotFound()


def sees_group(actor: Actor) -> bool:
    """Whether the actor sees (and may filter by, and set) a ticket's group."""
    return actor.is_staff
