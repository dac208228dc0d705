"""Satisfaction surveys: one per closed ticket, answered by its creator, and each
user's choice not to be asked."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.uow import RecordsEvents
from portal_tickets.base import Base
from portal_tickets.surveys import rules
from portal_tickets.surveys.events import SurveyAnswered, SurveyRequested
from portal_tickets.ticket.models import Ticket


class Survey(Base, RecordsEvents):
    __tablename__ = "survey"
    # The desk report counts answers by when they were first given.
    __table_args__ = (Index("ix_survey_first_answered", "first_answered_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ticket_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("ticket.id", ondelete="CASCADE"), unique=True
    )
    creator_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    # Whose work is rated, as it stood at the closing (the report's organization, group
    # and agent, however the ticket moves later).
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    group_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # SHA-256 of the link's token (`rules.digest`); the token is only in the mail.
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answer_until: Mapped[datetime] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(Integer, nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    first_answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    @classmethod
    def request(cls, ticket: Ticket, *, language: str, at: datetime) -> Survey:
        """The survey of a ticket just closed; its link's token goes out in the event only."""
        token = rules.new_token()
        survey = cls(
            id=uuid.uuid4(),
            ticket_id=ticket.id,
            creator_id=ticket.creator_id,
            organization_id=ticket.organization_id,
            group_id=ticket.group_id,
            assignee_id=ticket.assignee_id,
            token_digest=rules.digest(token),
            requested_at=at,
            answer_until=at + rules.ANSWER_WINDOW,
            comment="",
        )
        survey.record(
            SurveyRequested(
                survey_id=survey.id,
                ticket_id=ticket.id,
                number=ticket.number,
                title=ticket.title,
                organization_id=ticket.organization_id,
                creator_id=ticket.creator_id,
                language=language,
                token=token,
                answer_until=survey.answer_until,
                occurred_at=at,
            )
        )
        return survey

    @property
    def changeable_until(self) -> datetime:
        return rules.changeable_until(self.answer_until, self.first_answered_at)

    def state(self, now: datetime) -> rules.SurveyState:
        return rules.state(self.answer_until, self.first_answered_at, now)

    def answer(
        self,
        rating: int,
        comment: str,
        *,
        ticket: Ticket,
        group_lead_id: uuid.UUID | None,
        at: datetime,
    ) -> bool:
        """Answer, or change the answer while the survey takes one (else `SurveyClosed`);
        False when the answer is the one given already."""
        if self.state(at) == "closed":
            raise rules.SurveyClosed()
        if self.rating == rating and self.comment == comment:
            return False
        previous = self.rating
        self.rating, self.comment, self.answered_at = rating, comment, at
        self.first_answered_at = self.first_answered_at or at
        self.record(
            SurveyAnswered(
                survey_id=self.id,
                ticket_id=ticket.id,
                number=ticket.number,
                title=ticket.title,
                organization_id=ticket.organization_id,
                creator_id=ticket.creator_id,
                contact_id=ticket.contact_id,
                rating=rating,
                previous_rating=previous,
                comment=comment,
                low_rating=rules.became_low(rating, previous),
                assignee_id=self.assignee_id,
                group_id=self.group_id,
                group_lead_id=group_lead_id,
                answered_at=at,
            )
        )
        return True


class SurveyPreference(Base):
    """A user who asked not to be sent surveys (no row: they are asked)."""

    __tablename__ = "survey_preference"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    opt_out: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
