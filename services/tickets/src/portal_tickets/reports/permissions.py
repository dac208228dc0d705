"""Which tickets a report may count for whom."""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, and_

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.permissions import visible_filter


def may_report_on(actor: Actor, organization_id: uuid.UUID | None) -> bool:
    """The service desk reports on any organization (or all); customers on their own."""
    return actor.is_staff or organization_id in (None, actor.organization_id)


def report_filter(actor: Actor, org: KnownOrganization | None) -> ColumnElement[bool]:
    """The tickets a report counts: for the service desk those of `org` (all tickets
    without one) that reached it (none still in an organization's review); for
    customers the tickets they may list in their organization's scope (`org`: their
    organization as the directory knows it), nothing else."""
    if actor.is_staff:
        desk = visible_filter(actor, None, "organization")
        return desk if org is None else and_(desk, Ticket.organization_id == org.id)
    return visible_filter(actor, org, "organization")
