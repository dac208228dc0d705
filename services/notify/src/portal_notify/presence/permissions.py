"""Who may say they have a ticket open and learn who else has: the service desk (agents
and administrators). For everybody else the routes do not exist (404, never 403), and
the check runs before the body is read. A present person must see the ticket under the
portal's one visibility rule, which lets staff see every ticket once it is with the
vendor: one still in its organization's internal review does not exist for them."""

from __future__ import annotations

from portal_chassis.auth import STAFF_ROLES, Actor
from portal_chassis.visibility import can_see_ticket
from portal_notify.directory.models import TicketCard

PRESENT_ROLES = STAFF_ROLES


def may_be_present(actor: Actor) -> bool:
    """Whether `actor` may be present on tickets (and a stream of theirs tells about
    the others on them)."""
    return bool(actor.roles & PRESENT_ROLES)


def sees_ticket(actor: Actor, card: TicketCard) -> bool:
    # No organization setting is needed: for staff the rule asks only whether the ticket
    # is with the vendor (`card.review` is None).
    return may_be_present(actor) and can_see_ticket(actor, card, None)
