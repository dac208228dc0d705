"""HTTP: a satisfaction survey through its mailed link (no sign-in: the link's token is
the credential), on the ticket for its signed-in creator, and the profile's choice not
to be asked. The service desk reads answers on the ticket (`TicketRead.survey`)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from portal_chassis.auth import ActorDep
from portal_chassis.scopes import area_scope
from portal_tickets.deps import NumberPath, UoWDep
from portal_tickets.surveys import service
from portal_tickets.surveys.schemas import (
    SurveyAnswer,
    SurveyPreferenceRead,
    SurveyPreferenceUpdate,
    SurveyRead,
    SurveySummary,
)

router = APIRouter(
    prefix="/api/v1/surveys", tags=["surveys"], dependencies=[Depends(area_scope("tickets"))]
)
ticket_router = APIRouter(
    prefix="/api/v1/tickets", tags=["surveys"], dependencies=[Depends(area_scope("tickets"))]
)
TokenPath = Annotated[str, Path(max_length=200, description="The token of the mailed link.")]
LINK_ANSWERS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No survey has this link"},
    410: {"description": "The link expired: answers change for 7 days after the first one"},
}
TICKET_ANSWERS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such ticket, no survey, or not the caller's to read"},
    409: {"description": "The survey is closed: answers change for 7 days after the first one"},
}


def _read(found: service.Found) -> SurveyRead:
    now = datetime.now(UTC)
    summary = SurveySummary.of(found.survey, now)
    return SurveyRead(
        **summary.model_dump(),
        number=found.ticket.number,
        title=found.ticket.title,
        changeable=summary.state != "closed",
    )


# Before `/{token}`, which would take "preference" for a token.
@router.get("/preference", response_model=SurveyPreferenceRead)
async def get_preference(actor: ActorDep, uow: UoWDep) -> SurveyPreferenceRead:
    """Whether closing the caller's tickets sends them no survey."""
    return SurveyPreferenceRead(opt_out=await service.preference(uow=uow, actor=actor))


@router.put("/preference", response_model=SurveyPreferenceRead)
async def put_preference(
    data: SurveyPreferenceUpdate, actor: ActorDep, uow: UoWDep
) -> SurveyPreferenceRead:
    """Opt out of surveys (or in again); surveys already sent can still be answered."""
    opt_out = await service.set_preference(uow=uow, actor=actor, opt_out=data.opt_out)
    return SurveyPreferenceRead(opt_out=opt_out)


@router.get("/{token}", response_model=SurveyRead, responses=LINK_ANSWERS)
async def survey_by_link(token: TokenPath, uow: UoWDep) -> SurveyRead:
    """The survey behind a mailed link, without sign-in: the ticket's number and title,
    the answer given so far, and until when it can be changed."""
    return _read(await service.read_by_link(uow=uow, token=token))


@router.put("/{token}", response_model=SurveyRead, responses=LINK_ANSWERS)
async def answer_by_link(token: TokenPath, data: SurveyAnswer, uow: UoWDep) -> SurveyRead:
    """Answer through the link, without sign-in; answering again changes the answer,
    for 7 days after the first one (then the link expires: 410)."""
    return _read(await service.answer_by_link(uow=uow, token=token, data=data))


@ticket_router.get("/{number}/survey", response_model=SurveyRead, responses=TICKET_ANSWERS)
async def survey_on_ticket(number: NumberPath, actor: ActorDep, uow: UoWDep) -> SurveyRead:
    """The survey of a closed ticket: for its creator, and for the service desk."""
    return _read(await service.read_on_ticket(uow=uow, number=number, actor=actor))


@ticket_router.put("/{number}/survey", response_model=SurveyRead, responses=TICKET_ANSWERS)
async def answer_on_ticket(
    number: NumberPath, data: SurveyAnswer, actor: ActorDep, uow: UoWDep
) -> SurveyRead:
    """The ticket's creator answers (or changes the answer, for 7 days after the first)."""
    found = await service.answer_on_ticket(uow=uow, number=number, actor=actor, data=data)
    return _read(found)
