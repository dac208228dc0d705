from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from portal_chassis.text import OptionalSingleLine, SingleLine

Name = Field(min_length=1, max_length=200)

# A host name of at least two labels ("example.com"); stored in lower case.
EmailDomain = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=253,
        pattern=r"^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$",
    ),
]


def _unique(domains: list[str]) -> list[str]:
    return sorted(set(domains))


EmailDomains = Annotated[list[EmailDomain], Field(max_length=50), AfterValidator(_unique)]


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Name
    priority_contract: bool = False
    org_wide_visibility: bool = True
    sla_contract: OptionalSingleLine = Field(default=None, max_length=100)
    internal_review: bool = False
    email_domains: EmailDomains = []


class OrganizationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=200)
    priority_contract: bool | None = None
    org_wide_visibility: bool | None = None
    sla_contract: OptionalSingleLine = Field(default=None, max_length=100)
    internal_review: bool | None = None
    email_domains: EmailDomains | None = None
    active: bool | None = None


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    priority_contract: bool
    org_wide_visibility: bool
    sla_contract: str | None
    internal_review: bool
    email_domains: list[str]
    active: bool
    created_at: datetime


class OrganizationPage(BaseModel):
    items: list[OrganizationRead]
    next_cursor: str | None = None
