"""Who may see and do what with tickets: pure functions over the actor, the ticket and
the caller's organization as the directory knows it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import ColumnElement, and_, false, or_

from portal_chassis.auth import Actor
from portal_chassis.visibility import can_see_ticket, org_wide
from portal_tickets.directory.models import KnownFile, KnownOrganization, KnownUser
from portal_tickets.ticket.models import ArticleKind, Priority, Ticket


def reader(user: KnownUser) -> Actor:
    """A known user as the reader of a ticket (to ask the visibility rule for them)."""
    return Actor(
        id=user.id,
        username=user.username,
        organization_id=user.organization_id,
        roles=frozenset(user.roles),
        permissions=frozenset(user.permissions or ()),
    )


def can_view(actor: Actor, ticket: Ticket, org: KnownOrganization | None) -> bool:
    """The portal's one ticket visibility rule (`portal_chassis.visibility`)."""
    return can_see_ticket(actor, ticket, org)


def visible_filter(actor: Actor, org: KnownOrganization | None, scope: str) -> ColumnElement[bool]:
    """The SQL condition for "tickets this caller may list" in the chosen scope (the
    rule of `can_view`: the service desk never lists a ticket still in review)."""
    if actor.is_staff:
        with_vendor = Ticket.review.is_(None)
        return and_(with_vendor, Ticket.assignee_id == actor.id) if scope == "mine" else with_vendor
    mine = or_(Ticket.creator_id == actor.id, Ticket.contact_id == actor.id)
    if scope == "mine":
        return mine
    if actor.organization_id is None:
        return false()
    if org_wide(org) or actor.is_reviewer:
        return Ticket.organization_id == actor.organization_id
    return mine


NO_PRIORITY_CONTRACT = "Your organization has no priority contract; priority stays P4."


def allowed_priorities(
    actor: Actor,
    organization_id: uuid.UUID | None,
    org: KnownOrganization | None,
    *,
    opening: bool = False,
    contract: bool | None = None,
) -> tuple[Priority, ...]:
    """The priorities `actor` may give a ticket of the organization `organization_id`
    (`org`: that organization as the directory knows it; `contract`: whether the
    contract in force for the ticket lets the organization choose priorities, None
    without one, when the organization's own flag counts).

    Without a contract for priorities every ticket of an organization is P4 (DESIGN §2),
    also one the service desk opens for it; once the ticket exists, the service desk
    may set any priority. The vendor's own tickets (no organization) take any."""
    if organization_id is None or (actor.is_staff and not opening):
        return tuple(Priority)
    selectable = org is not None and org.priority_contract if contract is None else contract
    return tuple(Priority) if selectable else (Priority.P4,)


def effective_priority(requested: Priority, allowed: tuple[Priority, ...]) -> Priority:
    """What a new ticket gets: the requested priority if allowed, else P4 (opening a
    ticket never fails over its priority)."""
    return requested if requested in allowed else Priority.P4


PUBLIC_ARTICLES = frozenset({ArticleKind.MESSAGE, ArticleKind.SYSTEM})


def visible_articles(reader: Actor | None) -> frozenset[ArticleKind]:
    """The kinds of correspondence `reader` sees: internal notes are for the service desk
    only. `None` is a reader outside the service desk whoever asks: a PDF made to be
    forwarded, the text of an event that may end up in a customer's mail. The thread,
    search, the exports and the events all ask here."""
    if reader is not None and reader.is_staff:
        return frozenset(ArticleKind)
    return PUBLIC_ARTICLES


def reads_internal_notes(reader: Actor | None) -> bool:
    return ArticleKind.INTERNAL_NOTE in visible_articles(reader)


def sees_internal_status(actor: Actor) -> bool:
    """The internal status (open, waiting_internal, ...) is the service desk's; customers
    see the portal status only (on tickets, in counters and as a list filter)."""
    return actor.is_staff


# Fields of a ticket only the service desk changes.
STAFF_ONLY_FIELDS = frozenset(
    {"status", "assignee_id", "subject_area", "subtype", "group_id", "product"}
)


def staff_only_changes(actor: Actor, fields: Iterable[str]) -> set[str]:
    """Those of `fields` the actor may not change."""
    return set() if actor.is_staff else set(fields) & STAFF_ONLY_FIELDS


def may_change(actor: Actor, ticket: Ticket) -> bool:
    """Customers leave a closed ticket as it is (a reply may reopen a resolved one)."""
    return actor.is_staff or not ticket.is_done


def may_reply(actor: Actor, ticket: Ticket, at: datetime) -> bool:
    """Customers reply to an open ticket, or to a resolved one within the reopening window."""
    return actor.is_staff or not ticket.is_done or ticket.can_reopen(at)


def may_write_internal_notes(actor: Actor) -> bool:
    return actor.is_staff


def may_attach(actor: Actor, file: KnownFile | None, organization_id: uuid.UUID | None) -> bool:
    """Whether `file` may go with a message on a ticket of `organization_id`: customers
    attach their organization's uploads only (the service desk any)."""
    return file is not None and (actor.is_staff or file.organization_id == organization_id)


def may_be_contact(actor: Actor, contact: KnownUser | None) -> bool:
    """Whether the actor may open a ticket for `contact`: customers for an active
    colleague, the service desk for any active customer."""
    if contact is None or not contact.active:
        return False
    return actor.is_staff or contact.organization_id == actor.organization_id


def may_be_assignee(user: KnownUser | None) -> bool:
    """Tickets are assigned to active agents or admins only."""
    return user is not None and user.active and bool({"agent", "admin"} & set(user.roles))
