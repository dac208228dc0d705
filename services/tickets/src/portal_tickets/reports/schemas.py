from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from portal_tickets.ticket.models import Priority
from portal_tickets.ticket.schemas import Ref


class WeekCount(BaseModel):
    starts_at: datetime = Field(description="Monday 00:00 UTC.")
    opened: int
    closed: int = Field(description="Moves from an open status to resolved/closed/cancelled.")


class ReactionTimes(BaseModel):
    priority: Priority
    met: int = Field(description="Answered within the reaction target.")
    missed: int = Field(description="Answered late, or unanswered past the target.")
    pending: int = Field(description="Unanswered, the target still ahead.")
    met_share: float | None = Field(description="met / (met + missed); null without either.")
    median_first_reaction_seconds: float | None = Field(
        description="Wall-clock time from opening to the service desk's first answer."
    )


class TicketReport(BaseModel):
    organization: Ref | None = Field(description="The organization reported on; null: all.")
    organizations: list[Ref] | None = Field(
        default=None, description="Staff only: the organizations to choose from."
    )
    since: datetime
    until: datetime
    opened: int
    weeks: list[WeekCount]
    by_priority: dict[str, int]
    by_category: dict[str, int]
    reaction: list[ReactionTimes]


class DeskRow(BaseModel):
    """The figures of one organization, group or agent (`key` null: tickets without one)."""

    key: Ref | None
    opened: int = Field(description="Tickets opened in the period.")
    closed: int = Field(description="Moves to resolved/closed/cancelled in the period.")
    backlog: int = Field(description="Open now, whenever opened.")
    reaction_met: int
    reaction_missed: int
    reaction_met_share: float | None
    resolution_met: int
    resolution_missed: int
    resolution_met_share: float | None
    median_reaction_seconds: float | None = Field(
        description="Opening to the desk's first answer, tickets opened in the period."
    )
    median_resolution_seconds: float | None = Field(
        description="Opening to resolution, tickets opened in the period."
    )
    escalated: int = Field(description="Tickets opened in the period that were escalated.")
    minutes: int = Field(
        default=0, description="Minutes booked in the period (time accounting), any ticket."
    )
    survey_answers: int = Field(
        default=0,
        description="Satisfaction surveys first answered in the period, counted for the "
        "organization, group and agent of the ticket when it was closed.",
    )
    survey_satisfied: int = Field(default=0, description="Of those, rated 4 or 5.")
    csat: float | None = Field(
        default=None, description="survey_satisfied / survey_answers; null without answers."
    )
    average_rating: float | None = Field(
        default=None, description="The mean rating (1 to 5); null without answers."
    )


class SatisfactionMonth(BaseModel):
    """The survey answers first given in one month (UTC) of the period."""

    month: str = Field(description="`YYYY-MM`.")
    answers: int
    satisfied: int = Field(description="Rated 4 or 5.")
    csat: float | None = Field(description="satisfied / answers.")
    average_rating: float | None


class DeskReport(BaseModel):
    by: str = Field(description="`organization`, `group` or `agent`.")
    since: datetime
    until: datetime
    rows: list[DeskRow]
    total: DeskRow = Field(description="All rows together (medians over all tickets).")
    satisfaction_by_month: list[SatisfactionMonth] = Field(
        default_factory=list, description="Survey answers per month of the period, all rows."
    )
