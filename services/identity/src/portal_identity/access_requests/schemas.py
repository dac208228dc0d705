from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from portal_chassis.text import MultiLine, SingleLine
from portal_identity.access_requests.models import RequestOrigin, RequestState
from portal_identity.accounts.schemas import DisplayName, Email, Language, Role, Username

PHONE = re.compile(r"^[0-9+()./ -]{3,50}$")
PHONE_RULE = "Enter a telephone number: digits, spaces and + ( ) / . - only."


def _phone(value: str) -> str:
    if value and not (PHONE.fullmatch(value) and any(c.isdigit() for c in value)):
        raise PydanticCustomError("phone_invalid", PHONE_RULE)
    return value


Phone = Annotated[SingleLine, AfterValidator(_phone)]


class AccessRequestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: Username
    email: Email
    display_name: DisplayName | None = None
    language: Language = "en"
    role: Literal["customer", "customer_admin"] = "customer"
    note: str = Field(default="", max_length=2000)


class SignInAccessRequest(BaseModel):
    """Somebody without an account asks for one on the sign-in page."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=200)
    company: SingleLine = Field(min_length=1, max_length=200)
    email: Email
    phone: Phone = Field(default="", max_length=50)
    function: SingleLine = Field(default="", max_length=200)
    reason: MultiLine = Field(min_length=1, max_length=2000)
    language: Language = "en"
    # A field people never see (the page hides it): whatever fills it is a robot.
    website: str = Field(default="", max_length=2000)


class AccessRequestAccepted(BaseModel):
    detail: str


class ConfirmationRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    token: str = Field(min_length=1, max_length=200)


class ConfirmationResult(BaseModel):
    state: Literal["pending"] = "pending"


class AccessRequestApproval(BaseModel):
    """What the approver decides; for a request from the sign-in page by default the
    matched organization, the role `customer` and a user name made of the person's name."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_id: uuid.UUID | None = None
    roles: list[Role] | None = Field(default=None, min_length=1)
    username: Username | None = None


class AccessRequestDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(default="", max_length=2000)


class AccessRequestRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    origin: RequestOrigin
    organization_id: uuid.UUID | None
    requested_by: uuid.UUID | None
    username: str = Field(description="Empty for a sign-in request until it is approved.")
    email: str
    display_name: str
    company: str
    phone: str
    function: str
    language: str
    role: str
    note: str = Field(description="The colleague request's note, or why the person asks.")
    state: RequestState
    confirmed_at: datetime | None
    decided_by: uuid.UUID | None
    decided_at: datetime | None
    reason: str = Field(description="Why the request was rejected.")
    user_id: uuid.UUID | None
    created_at: datetime
    suggested_username: str | None = Field(
        default=None, description="For a pending sign-in request: a free user name to offer."
    )


class AccessRequestPage(BaseModel):
    items: list[AccessRequestRead]
    next_cursor: str | None = None


class PendingCount(BaseModel):
    pending: int
