"""What the contracts API reads and writes."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from portal_chassis.text import OptionalSingleLine, SingleLine, single_line

Name = Field(min_length=1, max_length=100)
Hours = Field(allow_inf_nan=False, le=100_000, description="Business hours.")
Weekly = dict[str, tuple[time, time]]
Product = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), single_line
]
PriorityName = Literal["P1", "P2", "P3", "P4"]
DEFAULT_PRIORITY_DOC = (
    "What a new ticket gets when its creator names no priority (a mail, for one), while "
    "the contract lets priorities be chosen; null: P4."
)
WEEKLY_DOC = (
    'Opening hours by weekday, 0 = Monday .. 6 = Sunday, e.g. {"0": ["08:00", "17:00"]}; '
    "a weekday left out is closed."
)


class CalendarCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: SingleLine = Name
    time_zone: SingleLine = Field(max_length=64, description="IANA name, e.g. Europe/Berlin.")
    weekly: Weekly = Field(max_length=7, description=WEEKLY_DOC)
    holidays: list[date] = Field(default_factory=list, max_length=400)
    is_default: bool = False


class CalendarUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=100)
    time_zone: OptionalSingleLine = Field(default=None, max_length=64)
    weekly: Weekly | None = Field(default=None, max_length=7, description=WEEKLY_DOC)
    holidays: list[date] | None = Field(default=None, max_length=400)
    is_default: bool | None = Field(
        default=None, description="true makes this the default; the former one stops being it."
    )


class CalendarRead(BaseModel):
    id: uuid.UUID
    name: str
    time_zone: str
    weekly: dict[str, list[str]]
    holidays: list[date]
    is_default: bool
    created_at: datetime
    updated_at: datetime


class CalendarList(BaseModel):
    items: list[CalendarRead]


class Target(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reaction_hours: float = Hours
    resolution_hours: float = Hours


class ContractCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: uuid.UUID
    name: SingleLine = Name
    valid_from: date
    valid_until: date | None = Field(default=None, description="None: open-ended.")
    priorities_selectable: bool = False
    default_priority: PriorityName | None = Field(default=None, description=DEFAULT_PRIORITY_DOC)
    calendar_id: uuid.UUID
    targets: dict[str, Target] = Field(max_length=4, description="P1 .. P4, each required.")
    products: list[Product] = Field(
        default_factory=list, max_length=100, description="Empty: every product."
    )
    asset_ids: list[uuid.UUID] = Field(
        default_factory=list, max_length=1000, description="Empty: every asset."
    )


class ContractUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: OptionalSingleLine = Field(default=None, min_length=1, max_length=100)
    valid_from: date | None = None
    valid_until: date | None = None
    priorities_selectable: bool | None = None
    default_priority: PriorityName | None = Field(
        default=None, description=DEFAULT_PRIORITY_DOC + " Sent as null: back to P4."
    )
    calendar_id: uuid.UUID | None = None
    targets: dict[str, Target] | None = Field(default=None, max_length=4)
    products: list[Product] | None = Field(default=None, max_length=100)
    asset_ids: list[uuid.UUID] | None = Field(default=None, max_length=1000)


class ContractRead(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    name: str
    valid_from: date
    valid_until: date | None
    priorities_selectable: bool
    default_priority: PriorityName | None = Field(description=DEFAULT_PRIORITY_DOC)
    calendar_id: uuid.UUID
    calendar_name: str
    targets: dict[str, Target]
    products: list[str]
    asset_ids: list[str]
    created_at: datetime
    updated_at: datetime


class ContractList(BaseModel):
    items: list[ContractRead]


class TermsRead(BaseModel):
    """The service levels a ticket gets: the contract in force, or the default terms."""

    contract: ContractRead | None = Field(description="None: no contract is in force.")
    priorities_selectable: bool
    default_priority: PriorityName = Field(
        default="P4",
        description="What a new ticket gets when its creator names no priority.",
    )
    calendar: CalendarRead
    targets: dict[str, Target]
