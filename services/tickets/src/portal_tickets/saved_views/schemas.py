from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import SingleLine
from portal_tickets.ticket.models import Category, Priority

_UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


class ViewQuery(BaseModel):
    """The list parameters a view remembers (the same names as the list's query)."""

    model_config = ConfigDict(extra="forbid")

    scope: Literal["mine", "organization"] = "organization"
    state: Literal["all", "open", "closed"] = "all"
    status: list[str] = Field(default_factory=list, max_length=10)
    priority: list[Priority] = Field(default_factory=list, max_length=4)
    category: list[Category] = Field(default_factory=list, max_length=4)
    q: str | None = Field(default=None, max_length=200)
    sort: str = Field(default="-created", pattern=r"^-?(number|created|updated|priority|sla|due)$")
    # The internal review filter (`all`: every review state; None: not saved).
    review: Literal["all", "internal", "requester", "any", "none"] | None = None
    # The desk's queue keeps its views here too: `page` tells the two lists apart, and
    # the queue's filters follow (the list's names again; None: not filtered).
    page: Literal["list", "desk"] = "list"
    organization_id: str | None = Field(default=None, pattern=_UUID)
    assignee: str | None = Field(default=None, pattern=rf"^(none|{_UUID[1:-1]})$")
    group_id: str | None = Field(default=None, pattern=rf"^(none|{_UUID[1:-1]})$")
    sla: Literal["breached", "at_risk", "paused"] | None = None
    escalated: bool | None = None


class SavedViewCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=100)
    query: ViewQuery = Field(default_factory=ViewQuery)


class SavedViewRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    query: ViewQuery
    created_at: datetime


class SavedViewList(BaseModel):
    items: list[SavedViewRead]
    next_cursor: str | None = None


class Contact(BaseModel):
    id: uuid.UUID
    display_name: str
    username: str


class ContactList(BaseModel):
    items: list[Contact]
    next_cursor: str | None = None
