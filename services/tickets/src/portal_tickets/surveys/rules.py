"""The rules of satisfaction surveys, as pure functions and constants.

A survey is offered once per ticket, when the ticket is closed. Its link is the
credential of whoever holds the mail: it takes the first answer within ANSWER_WINDOW
of the closing, and the answer may be changed (through the link or in the portal)
within CHANGE_WINDOW of the first answer. After that the link is dead (410) and the
answer stays as it is; the creator still reads it on the ticket."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Literal

from portal_chassis.errors import DomainError

ANSWER_WINDOW = timedelta(days=30)
CHANGE_WINDOW = timedelta(days=7)
LOW_RATING = 2  # this and below tells the ticket's agent and their lead
SATISFIED = 4  # this and above counts as satisfied (CSAT)
MAX_COMMENT = 2000

SurveyState = Literal["open", "answered", "closed"]


class SurveyClosed(DomainError):
    """The survey takes no answer any more (the portal's route)."""

    status, slug, title = 409, "survey-closed", "Survey closed"

    def __init__(self) -> None:
        super().__init__(
            "This survey is closed: an answer can be changed for 7 days after it was given."
        )


class SurveyLinkGone(DomainError):
    """The survey's link is dead: answered more than 7 days ago, or never answered in time."""

    status, slug, title = 410, "survey-link-gone", "Survey link expired"

    def __init__(self) -> None:
        super().__init__(
            "This survey link has expired: an answer can be changed for 7 days after it was given."
        )


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def digest(token: str) -> str:
    """What is stored of a link's token (the token itself travels only in the mail)."""
    return hashlib.sha256(token.encode()).hexdigest()


def changeable_until(answer_until: datetime, first_answered_at: datetime | None) -> datetime:
    """Until when the survey takes an answer: the first within the answer window, a
    change within the change window after the first answer."""
    if first_answered_at is None:
        return answer_until
    return first_answered_at + CHANGE_WINDOW


def state(answer_until: datetime, first_answered_at: datetime | None, now: datetime) -> SurveyState:
    if now > changeable_until(answer_until, first_answered_at):
        return "closed"
    return "open" if first_answered_at is None else "answered"


def is_low(rating: int) -> bool:
    return rating <= LOW_RATING


def became_low(rating: int, previous: int | None) -> bool:
    """Whether an answer tells the desk of a low rating: a first low answer, or a changed
    one that turned low (a low rating changed to another low one is told once)."""
    return is_low(rating) and (previous is None or not is_low(previous))
