"""Who may see and do what with tickets: pure functions over the actor, the ticket and
the caller's organization as the directory knows it."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, true

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Ticket


def org_wide(org: KnownOrganization | None) -> bool:
    # Organization-wide visibility is the default until the directory says otherwise.
    return org is None or org.org_wide_visibility


def can_view(actor: Actor, ticket: Ticket, org: KnownOrganization | None) -> bool:
    if actor.is_staff:
        return True
    if actor.id in (ticket.creator_id, ticket.contact_id):
        return True
    return (
        actor.organization_id is not None
        and ticket.organization_id == actor.organization_id
        and org_wide(org)
    )


def visible_filter(actor: Actor, org: KnownOrganization | None, scope: str) -> ColumnElement[bool]:
    """The SQL condition for "tickets this caller may list" in the chosen scope."""
    if actor.is_staff:
        return Ticket.assignee_id == actor.id if scope == "mine" else true()
    mine = or_(Ticket.creator_id == actor.id, Ticket.contact_id == actor.id)
    if scope == "mine":
        return mine
    if actor.organization_id is None:
        return false()
    if org_wide(org):
        return Ticket.organization_id == actor.organization_id
    return mine
