"""Who may administer second factors: pure checks over the actor."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_chassis.errors import NotFound


def require_policy_admin(actor: Actor) -> None:
    """The policy and other people's second factors are the admins' alone; for everybody
    else they do not exist (404, never 403)."""
    if not actor.is_admin:
        raise NotFound()
