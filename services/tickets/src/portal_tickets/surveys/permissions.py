"""Who is asked, who answers and who reads a survey: the ticket's creator is asked
(unless they are staff or said no in their profile) and is the only one to answer;
the service desk reads the answer on every ticket it sees (the one visibility rule,
`ticket/permissions.py`); the creator's colleagues never see it."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_tickets.directory.models import KnownUser
from portal_tickets.ticket.models import Status, Ticket
from portal_tickets.ticket.permissions import reader


def asks_after(ticket: Ticket) -> bool:
    """Whether closing `ticket` asks for a rating: a ticket closed (not cancelled, not a
    merged duplicate) that reached the service desk (not one closed in its
    organization's internal review)."""
    return (
        ticket.status is Status.CLOSED
        and not ticket.cancelled
        and not ticket.merged_into
        and ticket.review is None
    )


def is_asked(creator: KnownUser | None, opted_out: bool) -> bool:
    """Whether the creator is asked: an active customer who did not opt out. A creator
    the directory does not know is not asked (nobody to tell apart from staff)."""
    if creator is None or not creator.active:
        return False
    return not reader(creator).is_staff and not opted_out


def may_answer(actor: Actor, ticket: Ticket) -> bool:
    return actor.id == ticket.creator_id and not actor.is_staff


def reads_answer(actor: Actor, ticket: Ticket) -> bool:
    """On a ticket the actor sees: the desk and the creator read the answer."""
    return actor.is_staff or actor.id == ticket.creator_id
