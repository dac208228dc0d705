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
