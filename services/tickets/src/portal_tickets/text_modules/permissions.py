"""Who uses and who maintains text modules: the service desk (agents and administrators)
reads them and fills them in for a ticket it sees; administrators, as team leads,
create, change and delete them, so that the desk's answers stay consistent. For
customers the routes do not exist (404)."""

from __future__ import annotations

from portal_chassis.auth import Actor


def may_use(actor: Actor) -> bool:
    return actor.is_staff


def may_maintain(actor: Actor) -> bool:
    """Creating, changing and deleting is for administrators (the routes admit no one
    else)."""
    return actor.is_admin
