from __future__ import annotations

import re
import uuid
from datetime import datetime
from functools import cache
from typing import Annotated, Literal
from zoneinfo import available_timezones

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

from portal_chassis.text import single_line
from portal_identity.accounts.policy import username_problem

EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]{2,}$")

Role = Literal["customer", "customer_admin", "agent", "admin"]
# What a user can switch e-mail on or off for (in-app notifications always arrive).
NotificationKind = Literal[
    "ticket_created",
    "ticket_reply",
    "ticket_status",
    "ticket_escalated",
    "case_file",
    "sla_breach",
    "access_request",
    # A sign-in from a device the user never signed in from before.
    "new_sign_in",
    # A customer's low satisfaction rating of a ticket one worked (the service desk's).
    "survey_low_rating",
]
# Kinds only some roles hear of: access requests reach those who decide on them.
KINDS_FOR_ROLES: dict[str, frozenset[str]] = {
    "access_request": frozenset({"admin", "customer_admin"}),
    "survey_low_rating": frozenset({"agent", "admin"}),
}
NOTIFICATION_KINDS: tuple[str, ...] = NotificationKind.__args__  # type: ignore[attr-defined]
Language = Literal["de", "en"]
DEFAULT_TIME_ZONE = "Europe/Berlin"


@cache
def _zones() -> frozenset[str]:
    return frozenset(available_timezones())


def _time_zone(value: str) -> str:
    # Only names the zone database knows (never a path: ZoneInfo would read the file).
    if value not in _zones():
        raise PydanticCustomError(
            "time_zone_unknown",
            "Unknown time zone; use a name from the time zone database such as Europe/Berlin.",
        )
    return value


def _username(value: str) -> str:
    if problem := username_problem(value):
        raise PydanticCustomError("username_invalid", problem)
    return value


def _email(value: str) -> str:
    value = value.strip()
    if len(value) > 320 or not EMAIL.fullmatch(value):
        raise PydanticCustomError("email_invalid", "This is not a valid e-mail address.")
    return value


Username = Annotated[str, AfterValidator(_username)]
Email = Annotated[str, AfterValidator(_email)]
DisplayName = Annotated[str, Field(min_length=1, max_length=200), single_line]
Password = Annotated[str, Field(max_length=1024)]
TimeZone = Annotated[str, Field(max_length=64), AfterValidator(_time_zone)]


# Per-user permissions a customer admin grants (not roles): `review` lets a customer
# review the organization's tickets before they go to the vendor (its internal review).
Permission = Literal["review"]


class OrganizationRef(BaseModel):
    id: uuid.UUID
    name: str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: Username
    email: Email
    organization_id: uuid.UUID | None = None
    roles: list[Role] = Field(min_length=1)
    permissions: list[Permission] = []
    password: Password | None = Field(default=None, description="Omit to send an invitation.")
    display_name: DisplayName | None = None
    language: Language = "en"


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email | None = None
    display_name: DisplayName | None = None
    language: Language | None = None
    roles: list[Role] | None = Field(default=None, min_length=1)
    permissions: list[Permission] | None = None
    active: bool | None = None


class UserRead(BaseModel):
    id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    organization: OrganizationRef | None
    roles: list[str]
    permissions: list[str]
    active: bool
    created_at: datetime


class UserPage(BaseModel):
    items: list[UserRead]
    next_cursor: str | None = None


class ProfileRead(BaseModel):
    id: uuid.UUID
    username: str
    email: str
    display_name: str
    language: str
    organization: OrganizationRef | None
    roles: list[str]
    permissions: list[str]
    notification_preferences: dict[str, bool]
    time_zone: str = Field(description="The zone the portal shows times in (IANA name).")


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    email: Email | None = None
    display_name: DisplayName | None = None
    language: Language | None = None
    time_zone: TimeZone | None = None
    notification_preferences: dict[NotificationKind, bool] | None = None
    current_password: Password | None = Field(
        default=None, description="Required to change the e-mail address or the password."
    )
    new_password: Password | None = None
