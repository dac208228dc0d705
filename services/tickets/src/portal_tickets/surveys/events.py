"""Events the tickets service publishes about satisfaction surveys."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class SurveyRequested(Event):
    """A closed ticket's creator is asked for a rating: notify mails them the link
    `/survey/<token>`. The token is the link's only credential: it is in this event and
    in the mail, nowhere else (the service keeps its SHA-256 digest, and no log line
    carries an event's data)."""

    event_type: ClassVar[str] = "tickets.survey.requested"

    survey_id: uuid.UUID
    ticket_id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID
    language: str
    token: str
    answer_until: datetime
    occurred_at: datetime


class SurveyAnswered(Event):
    """A survey was answered, or its answer changed. `low_rating`: the rating is low (1
    or 2) and was not before, so the ticket's assignee and their group's lead (without
    a group: the vendor's admins) are told."""

    event_type: ClassVar[str] = "tickets.survey.answered"

    survey_id: uuid.UUID
    ticket_id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    rating: int
    previous_rating: int | None
    comment: str
    low_rating: bool
    # Who worked the ticket when it was closed: the assignee, the agent group and its lead.
    assignee_id: uuid.UUID | None
    group_id: uuid.UUID | None
    group_lead_id: uuid.UUID | None
    answered_at: datetime
