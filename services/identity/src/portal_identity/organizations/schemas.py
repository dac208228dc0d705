from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import OptionalSingleLine, SingleLine

Name = Field(min_length=1, max_length=200)


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Name
    priority_contract: bool = False
    org_wide_visibility: bool = True
    sla_contract: OptionalSingleLine = Field(default=None, max_length=100)


class OrganizationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=200)
    priority_contract: bool | None = None
    org_wide_visibility: bool | None = None
    sla_contract: OptionalSingleLine = Field(default=None, max_length=100)
    active: bool | None = None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    priority_contract: bool
    org_wide_visibility: bool
    sla_contract: str | None
    active: bool
    created_at: datetime


class OrganizationPage(BaseModel):
    items: list[OrganizationRead]
    next_cursor: str | None = None
