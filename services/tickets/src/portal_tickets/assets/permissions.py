"""Who sees and changes which assets: customers see their organization's installed base,
the service desk sees every organization's; administrators maintain it. An asset of
another organization does not exist for a customer (404, never 403)."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from portal_chassis.auth import Actor
from portal_tickets.assets.models import Asset


def can_view(actor: Actor, asset: Asset) -> bool:
    if actor.is_staff:
        return True
    return actor.organization_id is not None and asset.organization_id == actor.organization_id


def visible_filter(actor: Actor) -> ColumnElement[bool]:
    """The SQL condition for "assets this caller may list"."""
    if actor.is_staff:
        return true()
    if actor.organization_id is None:
        return false()
    return Asset.organization_id == actor.organization_id


def may_maintain(actor: Actor) -> bool:
    """Creating, changing and importing assets is for administrators (the routes admit
    no one else)."""
    return actor.is_admin


def may_set_on_ticket(actor: Actor, *, opening: bool) -> bool:
    """Whoever opens a ticket names its asset; afterwards only the service desk
    changes it."""
    return opening or actor.is_staff
