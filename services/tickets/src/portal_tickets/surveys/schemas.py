"""What the API takes and shows of satisfaction surveys."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import MultiLine
from portal_tickets.surveys import rules
from portal_tickets.surveys.models import Survey


class SurveyAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rating: int = Field(ge=1, le=5, description="1 (very dissatisfied) to 5 (very satisfied).")
    comment: MultiLine = Field(default="", max_length=rules.MAX_COMMENT)


class SurveySummary(BaseModel):
    """A ticket's survey as the service desk and the ticket's creator see it on the ticket."""

    state: rules.SurveyState = Field(
        description="`open`: waiting for an answer; `answered`: answered, still changeable; "
        "`closed`: no answer is taken any more."
    )
    rating: int | None = Field(description="1 to 5; null while unanswered.")
    comment: str
    answered_at: datetime | None = Field(description="When the current answer was given.")
    changeable_until: datetime = Field(
        description="Until when an answer (or a change of it) is taken."
    )

    @classmethod
    def of(cls, survey: Survey, now: datetime) -> SurveySummary:
        return cls(
            state=survey.state(now),
            rating=survey.rating,
            comment=survey.comment,
            answered_at=survey.answered_at,
            changeable_until=survey.changeable_until,
        )


class SurveyRead(SurveySummary):
    """A survey with the ticket it is about."""

    number: str
    title: str
    changeable: bool = Field(description="Whether an answer or a change is taken now.")


class SurveyPreferenceRead(BaseModel):
    opt_out: bool = Field(description="True: closing a ticket sends this user no survey.")


class SurveyPreferenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opt_out: bool
