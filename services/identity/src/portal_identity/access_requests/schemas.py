from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_identity.access_requests.models import RequestState
from portal_identity.accounts.schemas import DisplayName, Email, Language, Username


class AccessRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: Username
    email: Email
    display_name: DisplayName | None = None
    language: Language = "en"
    role: Literal["customer", "customer_admin"] = "customer"
    note: str = Field(default="", max_length=2000)


class AccessRequestDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class AccessRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    organization_id: uuid.UUID
    requested_by: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    role: str
    note: str
    state: RequestState
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    reason: str
    user_id: uuid.UUID | None
    created_at: datetime


class AccessRequestPage(BaseModel):
    items: list[AccessRequestRead]
    next_cursor: str | None = None
