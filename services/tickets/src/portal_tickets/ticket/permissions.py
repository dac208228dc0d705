"""Who may see and do what with tickets: pure functions over the actor, the ticket and
the caller's organization as the directory knows it."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, false, or_, true

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Priority, Ticket


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


NO_PRIORITY_CONTRACT = "Your organization has no priority contract; priority stays P4."


def allowed_priorities(
    actor: Actor,
    organization_id: uuid.UUID | None,
    org: KnownOrganization | None,
    *,
    opening: bool = False,
) -> tuple[Priority, ...]:
    """The priorities `actor` may give a ticket of the organization `organization_id`
    (`org`: that organization as the directory knows it).

    Without a contract for priorities every ticket of an organization is P4 (DESIGN §2),
    also one the service desk opens for it; once the ticket exists, the service desk
    may set any priority. The vendor's own tickets (no organization) take any."""
    if organization_id is None or (actor.is_staff and not opening):
        return tuple(Priority)
    if org is not None and org.priority_contract:
        return tuple(Priority)
    return (Priority.P4,)


def effective_priority(requested: Priority, allowed: tuple[Priority, ...]) -> Priority:
    """What a new ticket gets: the requested priority if allowed, else P4 (opening a
    ticket never fails over its priority)."""
    return requested if requested in allowed else Priority.P4
