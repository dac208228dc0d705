from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from portal_chassis.text import OptionalSingleLine, SingleLine, single_line
from portal_tickets.assets.models import AssetStatus

AttributeKey = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100), single_line
]
AttributeValue = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=500), single_line
]
Attributes = Annotated[dict[AttributeKey, AttributeValue], Field(max_length=50)]


class AssetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_id: uuid.UUID
    name: SingleLine = Field(min_length=1, max_length=200)
    serial_number: SingleLine = Field(min_length=1, max_length=100)
    product: OptionalSingleLine = Field(default=None, max_length=200)
    location: OptionalSingleLine = Field(default=None, max_length=200)
    installed_on: date | None = None
    contract_id: uuid.UUID | None = None
    status: AssetStatus = AssetStatus.ACTIVE
    attributes: Attributes = Field(
        default_factory=dict, description="Free facts, text by text (at most 50)."
    )


class AssetUpdate(BaseModel):
    """The fields to change; `null` clears an optional one."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=200)
    serial_number: OptionalSingleLine = Field(default=None, min_length=1, max_length=100)
    product: OptionalSingleLine = Field(default=None, max_length=200)
    location: OptionalSingleLine = Field(default=None, max_length=200)
    installed_on: date | None = None
    contract_id: uuid.UUID | None = None
    status: AssetStatus | None = None
    attributes: Attributes | None = Field(default=None, description="Replaces all attributes.")


# Fields an update may not clear.
REQUIRED_ON_UPDATE = frozenset({"name", "serial_number", "status"})


class AssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID | None
    name: str
    serial_number: str
    product: str | None
    location: str | None
    installed_on: date | None
    contract_id: uuid.UUID | None
    status: AssetStatus
    attributes: dict[str, str]
    created_at: datetime
    updated_at: datetime


class AssetPage(BaseModel):
    items: list[AssetRead]
    next_cursor: str | None


class AssetSummary(BaseModel):
    """An asset as a ticket shows it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    serial_number: str
    product: str | None
    location: str | None


class RowError(BaseModel):
    field: str
    message: str
    message_de: str
    code: str


class RefusedRow(BaseModel):
    line: int = Field(description="The row's line in the file (the header is line 1).")
    serial_number: str | None
    errors: list[RowError]


class ImportReport(BaseModel):
    created: int
    updated: int
    refused: list[RefusedRow]
