"""What the agent groups and routing rules API reads and writes."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import OptionalSingleLine, SingleLine
from portal_tickets.ticket.models import Category
from portal_tickets.ticket.schemas import Ref

MAX_MEMBERS = 200
MAX_RULES = 500


class GroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=100, description="Unique (any case).")
    lead_id: uuid.UUID | None = Field(
        default=None, description="An active agent or admin who leads the group."
    )
    member_ids: list[uuid.UUID] = Field(
        default_factory=list,
        max_length=MAX_MEMBERS,
        description="Active agents or admins, in round-robin order (a repeated id counts once).",
    )
    round_robin: bool = Field(
        default=False,
        description="New tickets routed to the group go to its active members in turn.",
    )


class GroupUpdate(BaseModel):
    """The fields to change; `lead_id: null` removes the lead."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=100)
    lead_id: uuid.UUID | None = None
    member_ids: list[uuid.UUID] | None = Field(
        default=None,
        max_length=MAX_MEMBERS,
        description="Replaces the members; members kept may be inactive meanwhile.",
    )
    round_robin: bool | None = None


class GroupMember(BaseModel):
    id: uuid.UUID
    name: str
    active: bool = Field(description="Inactive members are skipped by the round robin.")


class GroupRead(BaseModel):
    id: uuid.UUID
    name: str
    lead: Ref | None
    members: list[GroupMember] = Field(description="In round-robin order.")
    round_robin: bool
    created_at: datetime
    updated_at: datetime


class GroupList(BaseModel):
    items: list[GroupRead]


CONDITIONS_DOC = (
    "A ticket matches when every condition the rule names matches (subject area and "
    "product in any case; the product also by the ticket's asset's product)."
)


class RuleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    group_id: uuid.UUID
    subject_area: OptionalSingleLine = Field(default=None, max_length=100)
    category: Category | None = None
    organization_id: uuid.UUID | None = None
    product: OptionalSingleLine = Field(default=None, max_length=200)
    position: int | None = Field(
        default=None, ge=1, description="1 is tried first; default: after the others."
    )


class RuleUpdate(BaseModel):
    """The fields to change; `null` removes a condition (one must remain)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    group_id: uuid.UUID | None = None
    subject_area: OptionalSingleLine = Field(default=None, max_length=100)
    category: Category | None = None
    organization_id: uuid.UUID | None = None
    product: OptionalSingleLine = Field(default=None, max_length=200)
    position: int | None = Field(default=None, ge=1, description="Move the rule there.")


class RuleOrder(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(
        max_length=MAX_RULES, description="Every rule's id, in the order they are tried."
    )


class RuleRead(BaseModel):
    id: uuid.UUID
    position: int = Field(description="1 is tried first.")
    group: Ref
    subject_area: str | None
    category: Category | None
    organization: Ref | None
    product: str | None
    created_at: datetime
    updated_at: datetime


class RuleList(BaseModel):
    """The rules in the order they are tried; the first match routes the ticket."""

    items: list[RuleRead]
