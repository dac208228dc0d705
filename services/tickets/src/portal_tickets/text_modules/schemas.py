from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import MultiLine, OptionalMultiLine, OptionalSingleLine, SingleLine
from portal_tickets.ticket.models import Priority, Status

Language = Literal["de", "en"]

BODY = (
    "The answer, several lines, with placeholders such as {{customer.first_name}} "
    "(see the service's README); at most 20,000 characters."
)
SET_STATUS = "The internal status the ticket gets when the module is inserted (optional)."
SET_PRIORITY = "The priority the ticket gets when the module is inserted (optional)."


# Single-line fields strip themselves; a body stays as written (its first line may be
# indented, its last a line break).


class TextModuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SingleLine = Field(min_length=1, max_length=100)
    language: Language
    body: MultiLine = Field(min_length=1, max_length=20_000, description=BODY)
    keywords: SingleLine = Field(
        default="", max_length=300, description="Further words the search finds it by."
    )
    set_status: Status | None = Field(default=None, description=SET_STATUS)
    set_priority: Priority | None = Field(default=None, description=SET_PRIORITY)


class TextModuleUpdate(BaseModel):
    """The fields to change; `null` clears `set_status` or `set_priority`."""

    model_config = ConfigDict(extra="forbid")

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=100)
    language: Language | None = None
    body: OptionalMultiLine = Field(default=None, min_length=1, max_length=20_000)
    keywords: OptionalSingleLine = Field(default=None, max_length=300)
    set_status: Status | None = None
    set_priority: Priority | None = None


# Fields an update may not clear (`keywords: null` empties them).
REQUIRED_ON_UPDATE = frozenset({"name", "language", "body"})


class TextModuleRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    language: Language
    body: str
    keywords: str
    set_status: Status | None
    set_priority: Priority | None
    created_by: uuid.UUID
    created_at: datetime
    updated_at: datetime


class TextModulePage(BaseModel):
    items: list[TextModuleRead]
    next_cursor: str | None


class RenderRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ticket: SingleLine = Field(
        min_length=1, max_length=32, description="The number of the ticket to fill it in for."
    )


class Rendered(BaseModel):
    body: str = Field(description="The module's text with the ticket's values filled in.")
    set_status: Status | None
    set_priority: Priority | None
