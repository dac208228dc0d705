"""Survey use cases: read and answer through the mailed link (no sign-in) or on the
ticket (signed in as its creator), and each user's choice not to be asked.

One answer per survey: answering again changes it, within 7 days of the first answer
(`rules.CHANGE_WINDOW`); after that the link is dead (410) and the portal refuses a
change (409)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, NotFound
from portal_tickets.surveys import rules
from portal_tickets.surveys.models import Survey, SurveyPreference
from portal_tickets.surveys.permissions import may_answer, reads_answer
from portal_tickets.surveys.schemas import SurveyAnswer
from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.service import visible_ticket
from portal_tickets.uow import TicketsUoW

NO_SURVEY = "No such survey."


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Found:
    """A survey with the ticket it is about."""

    survey: Survey
    ticket: Ticket


async def _by_link(uow: TicketsUoW, token: str, *, lock: bool) -> Found:
    """The survey behind a link: unknown is 404, expired 410 (`SurveyLinkGone`)."""
    survey = await uow.surveys.by_digest(rules.digest(token), lock=lock)
    ticket = await uow.surveys.ticket(survey.ticket_id) if survey is not None else None
    if survey is None or ticket is None:
        raise NotFound(NO_SURVEY)
    if survey.state(_now()) == "closed":
        raise rules.SurveyLinkGone()
    return Found(survey, ticket)


async def read_by_link(*, uow: TicketsUoW, token: str) -> Found:
    async with uow:
        return await _by_link(uow, token, lock=False)


async def answer_by_link(*, uow: TicketsUoW, token: str, data: SurveyAnswer) -> Found:
    async with uow:
        found = await _by_link(uow, token, lock=True)
        await _answer(uow, found, data)
        await uow.commit()
    return found


async def _answer(uow: TicketsUoW, found: Found, data: SurveyAnswer) -> None:
    group_id = found.survey.group_id
    group = await uow.groups.group(group_id) if group_id is not None else None
    found.survey.answer(
        data.rating,
        data.comment,
        ticket=found.ticket,
        group_lead_id=group.lead_id if group is not None else None,
        at=_now(),
    )


async def _on_ticket(uow: TicketsUoW, number: str, actor: Actor, *, lock: bool) -> Found:
    """The survey of a ticket the actor sees, if they may read it (the creator, the
    desk); anybody else, like a ticket without one, gets 404."""
    ticket = await visible_ticket(uow, number, actor, lock=False)
    survey = await uow.surveys.of_ticket(ticket.id, lock=lock)
    if survey is None or not reads_answer(actor, ticket):
        raise NotFound(NO_SURVEY)
    return Found(survey, ticket)


async def read_on_ticket(*, uow: TicketsUoW, number: str, actor: Actor) -> Found:
    async with uow:
        return await _on_ticket(uow, number, actor, lock=False)


async def answer_on_ticket(
    *, uow: TicketsUoW, number: str, actor: Actor, data: SurveyAnswer
) -> Found:
    """The creator answers on the ticket; after the change window 409 (`SurveyClosed`)."""
    async with uow:
        found = await _on_ticket(uow, number, actor, lock=True)
        if not may_answer(actor, found.ticket):
            raise NotFound(NO_SURVEY)  # the desk reads the answer, it never gives one
        await _answer(uow, found, data)
        await uow.commit()
    return found


async def preference(*, uow: TicketsUoW, actor: Actor) -> bool:
    """Whether the actor opted out of surveys."""
    async with uow:
        row = await uow.surveys.preference(actor.id)
    return row is not None and row.opt_out


async def set_preference(*, uow: TicketsUoW, actor: Actor, opt_out: bool) -> bool:
    async with uow:
        row = await uow.surveys.preference(actor.id, lock=True)
        if row is None:
            row = SurveyPreference(user_id=actor.id, opt_out=opt_out, updated_at=_now())
            uow.surveys.add(row)
        elif row.opt_out != opt_out:
            row.opt_out, row.updated_at = opt_out, _now()
        try:
            await uow.commit()
        except IntegrityError as exc:  # the first choice of two sent at the same moment
            raise Conflict("Changed at the same time elsewhere. Load it again and retry.") from exc
    return opt_out
