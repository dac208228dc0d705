"""Asking a ticket's creator for a rating when the ticket is closed: part of the closing
itself (by the desk, by the customer, in bulk), in the closing's transaction, so that a
ticket closed is a survey asked for (its `tickets.survey.requested` in the same outbox
write), once per ticket however often it is closed."""

from __future__ import annotations

from datetime import datetime

from portal_tickets.surveys.models import Survey
from portal_tickets.surveys.permissions import asks_after, is_asked
from portal_tickets.ticket.models import Ticket
from portal_tickets.uow import TicketsUoW


async def offer_survey(uow: TicketsUoW, ticket: Ticket, *, at: datetime) -> Survey | None:
    """Call inside the unit that closed `ticket` (locked): its survey, if it gets one now."""
    if not asks_after(ticket):
        return None
    creator = await uow.directory.user(ticket.creator_id)
    preference = await uow.surveys.preference(ticket.creator_id)
    if creator is None or not is_asked(creator, preference is not None and preference.opt_out):
        return None
    if await uow.surveys.of_ticket(ticket.id) is not None:
        return None  # closed before (and reopened since): asked once
    survey = Survey.request(ticket, language=creator.language, at=at)
    uow.surveys.add(survey)
    return survey
