"""Who sees which links: everyone sees a link only to a ticket they may see themselves
(the one visibility rule, `ticket/permissions.py`). The service desk makes and removes
links, but a ticket still in its organization's internal review is not yet theirs to
name; customers are never named another organization's ticket, or a colleague's where
the organization keeps tickets to the people on them."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.permissions import can_view


def may_see_linked(actor: Actor, other: Ticket, org: KnownOrganization | None) -> bool:
    return can_view(actor, other, org)
