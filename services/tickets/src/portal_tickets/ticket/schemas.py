from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from portal_chassis.text import MultiLine, OptionalSingleLine, SingleLine
from portal_tickets.assets.schemas import AssetSummary
from portal_tickets.links.schemas import TicketLinkRead
from portal_tickets.surveys.schemas import SurveySummary
from portal_tickets.ticket.models import (
    PORTAL_STATUS,
    ArticleKind,
    Category,
    Channel,
    PortalStatus,
    Priority,
    Review,
    Status,
    Ticket,
)

INTERNAL_FOR_PORTAL: dict[str, set[Status]] = {}
for _internal, (_portal, _colour) in PORTAL_STATUS.items():
    INTERNAL_FOR_PORTAL.setdefault(_portal, set()).add(_internal)

Text200 = Field(min_length=1, max_length=200)


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: SingleLine = Text200
    description: MultiLine = Field(default="", max_length=100_000)
    category: Category = Category.INCIDENT
    priority: Priority | None = Field(
        default=None,
        description="None: the default priority of the contract in force (its "
        "`default_priority`, while it lets priorities be chosen), else P4. A priority the "
        "organization may not choose becomes P4.",
    )
    template_id: uuid.UUID | None = None
    guide_answers: dict[str, Any] = Field(default_factory=dict, max_length=50)
    subject_area: OptionalSingleLine = Field(default=None, max_length=100)
    subtype: OptionalSingleLine = Field(default=None, max_length=100)
    product: OptionalSingleLine = Field(default=None, max_length=200)
    asset_id: OptionalSingleLine = Field(
        default=None,
        max_length=100,
        description="An asset of the ticket's organization: its id or its serial number.",
    )
    contact_id: uuid.UUID | None = Field(
        default=None,
        description="Customers: a colleague the ticket is for. Staff: the customer contact "
        "it is opened for (it belongs to the contact's organization); without one, the "
        "vendor's own internal ticket.",
    )
    organization_id: uuid.UUID | None = Field(
        default=None,
        description="Optional check: the organization of the contact (another one is 422 "
        "`organization_mismatch`).",
    )
    channel: Channel | None = Field(
        default=None,
        description="Staff: how the request reached the desk (`portal`, `phone`, `email`, "
        "`on_site`); default `portal`. Customers open tickets through the portal only.",
    )
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    follow_up_of: OptionalSingleLine = Field(
        default=None,
        max_length=32,
        description="A closed ticket of the caller's that this one continues (it can no "
        "longer be reopened by a reply).",
    )
    group_id: uuid.UUID | None = Field(
        default=None,
        description="Staff: the agent group that works the ticket (then no routing rule "
        "is tried). Customers: 422 `staff_only`.",
    )
    hand_over: bool = Field(
        default=False,
        description="In an organization with internal review: a reviewer's ticket goes "
        "to the service desk at once instead of starting in review (ignored for others).",
    )


class TicketUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    category: Category | None = None
    priority: Priority | None = None
    status: Status | None = None
    assignee_id: uuid.UUID | None = None
    subject_area: OptionalSingleLine = Field(default=None, max_length=100)
    subtype: OptionalSingleLine = Field(default=None, max_length=100)
    product: OptionalSingleLine = Field(
        default=None, max_length=200, description="Staff: the product the ticket is about."
    )
    asset_id: OptionalSingleLine = Field(
        default=None,
        max_length=100,
        description="Staff: an asset of the ticket's organization (id or serial number); "
        "`null` removes it.",
    )
    group_id: uuid.UUID | None = Field(
        default=None, description="Staff: the agent group; `null` removes it."
    )
    review: Review | None = Field(
        default=None,
        description="Reviewers of the ticket's organization, while it is in review: "
        "`requester` passes it to the requester, `internal` takes it back (hand it over "
        "with `POST /api/v1/tickets/{number}/hand-over`).",
    )


class ArticleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: MultiLine = Field(min_length=1, max_length=100_000)
    attachment_ids: list[uuid.UUID] = Field(default_factory=list, max_length=20)
    internal: bool = False
    minutes: int | None = Field(
        default=None,
        ge=1,
        le=1440,
        description="The service desk, with time accounting switched on: the minutes this "
        "reply or note took.",
    )
    seen_until: datetime | None = Field(
        default=None,
        description="When the writer last saw the thread: if someone else's message (one "
        "the writer may read) arrived later, the answer is 409 `newer_message` and nothing "
        "is stored, so that the writer reads it first.",
    )


class MessageBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: MultiLine = Field(min_length=1, max_length=100_000)


class Ref(BaseModel):
    id: uuid.UUID
    name: str


class PortalStatusRead(BaseModel):
    key: PortalStatus
    color: str


SLA_STATES = (
    "Running: `ok`, `at_risk` (less than a quarter of the target left), `breached`. "
    "`paused`: the desk waits for the customer. Stopped: `met`, `missed` (in time or "
    "late; `missed` also for a ticket closed or cancelled after its due time without it), "
    "`stopped` (closed or cancelled before its due time)."
)


class SlaTimer(BaseModel):
    """One target of the SLA clock: the first reaction, or the resolution."""

    target_hours: float | None = Field(description="The target in business hours.")
    due_at: datetime | None = Field(
        description="When the target runs out; while paused, as if the pause ended now."
    )
    state: str | None = Field(description=SLA_STATES)
    running: bool
    done_at: datetime | None = Field(
        description="The desk's first public answer, or when the ticket was resolved."
    )


class SlaContractRef(BaseModel):
    id: uuid.UUID | None = Field(description="None: the standard terms, no contract.")
    name: str


class SlaRead(BaseModel):
    due_at: datetime | None = Field(description="The reaction due time (as `reaction.due_at`).")
    state: str | None = Field(description="The reaction state (as `reaction.state`).")
    first_response_at: datetime | None
    running: bool = Field(
        default=False, description="Whether the reaction clock still runs for this ticket."
    )
    reaction: SlaTimer | None = None
    resolution: SlaTimer | None = None
    paused: bool = Field(default=False, description="Waiting for the customer's answer.")
    paused_since: datetime | None = None
    paused_hours: float = Field(
        default=0.0, description="Business hours spent waiting for the customer so far."
    )
    contract: SlaContractRef | None = Field(
        default=None, description="The terms the ticket was opened under."
    )
    time_zone: str | None = Field(default=None, description="The business calendar's zone.")


class TicketRead(BaseModel):
    number: str
    title: str
    description: str
    first_line: str
    category: Category
    subject_area: str | None
    subtype: str | None
    product: str | None
    asset_id: str | None = Field(description="The id of the ticket's asset.")
    asset: AssetSummary | None = None
    priority: Priority
    status: Status | None = Field(description="Internal status; agents and admins only.")
    portal_status: PortalStatus
    portal_status_color: str
    organization: Ref | None
    contact: Ref | None
    creator: Ref | None
    assignee: Ref | None
    group: Ref | None = Field(default=None, description="The agent group; staff only.")
    template_id: uuid.UUID | None
    guide_answers: list[dict[str, Any]]
    escalated_at: datetime | None
    cancelled: bool
    channel: Channel = Field(
        default=Channel.PORTAL, description="How the request reached the service desk."
    )
    review: Review | None = Field(
        default=None,
        description="In the organization's internal review: `internal` (its reviewers) or "
        "`requester`; null once with the service desk.",
    )
    handed_over_at: datetime | None = Field(
        default=None, description="When the organization's reviewers handed it over."
    )
    follow_up_of: str | None = Field(
        default=None, description="The closed ticket this one continues, if any."
    )
    follow_ups: list[str] = Field(
        default_factory=list, description="Tickets that continue this closed one."
    )
    merged_into: str | None = Field(
        default=None, description="The ticket this closed duplicate was merged into."
    )
    links: list[TicketLinkRead] = Field(
        default_factory=list,
        description="Related, merged and follow-up tickets, as far as the caller may see "
        "them (`follow_up_of`, `follow_ups` and `merged_into` say the same).",
    )
    reopen_until: datetime | None = Field(
        default=None, description="Until when a reply reopens the resolved ticket."
    )
    sla: SlaRead
    time_spent_minutes: int | None = Field(
        default=None, description="Staff: the minutes booked on the ticket (time accounting)."
    )
    allowed_priorities: list[Priority] = Field(
        default_factory=list,
        description="The priorities the caller may set on this ticket (P4 only for a "
        "customer whose organization has no priority contract).",
    )
    survey: SurveySummary | None = Field(
        default=None,
        description="The satisfaction survey sent when the ticket was closed: for the "
        "service desk and the ticket's creator (null for others, and without one).",
    )
    created_at: datetime
    updated_at: datetime


class PriorityChoice(BaseModel):
    """The priorities the caller may choose for a new ticket of their own."""

    items: list[Priority]
    default: Priority = Field(
        default=Priority.P4,
        description="What a new ticket gets when none is chosen: the contract in force's "
        "default priority, else P4.",
    )


class TicketPage(BaseModel):
    items: list[TicketRead]
    next_cursor: str | None


class TicketSummary(BaseModel):
    total: int
    by_priority: dict[str, int]
    by_portal_status: dict[str, int]
    by_status: dict[str, int] | None = Field(default=None, description="Staff only.")


class ArticleRead(BaseModel):
    id: uuid.UUID
    kind: ArticleKind
    internal: bool
    body: str
    author: Ref | None
    author_organization: Ref | None
    attachment_ids: list[uuid.UUID]
    channel: Channel = Channel.PORTAL
    minutes: int | None = Field(default=None, description="Booked minutes; staff only.")
    created_at: datetime


class ArticlePage(BaseModel):
    items: list[ArticleRead]
    next_cursor: str | None = None


class DeskOptions(BaseModel):
    time_accounting: bool = Field(
        description="Agents book minutes on replies and notes (TICKETS_TIME_ACCOUNTING)."
    )


class Followers(BaseModel):
    items: list[Ref]


class Following(BaseModel):
    following: bool


class TicketAudience(BaseModel):
    """Who a ticket concerns, for other services' read models (internal endpoint)."""

    id: uuid.UUID
    number: str
    title: str
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID
    contact_id: uuid.UUID
    assignee_id: uuid.UUID | None
    status: Status
    portal_status: str
    review: Review | None = None
    # The ticket's last change (the time its events carry): the read model's newest-wins
    # stamp, so an event of that change or an older one does not undo what was fetched.
    as_of: datetime

    @classmethod
    def of(cls, ticket: Ticket) -> TicketAudience:
        return cls(
            id=ticket.id,
            number=ticket.number,
            title=ticket.title,
            organization_id=ticket.organization_id,
            creator_id=ticket.creator_id,
            contact_id=ticket.contact_id,
            assignee_id=ticket.assignee_id,
            status=ticket.status,
            portal_status=ticket.portal_status,
            review=ticket.review,
            as_of=ticket.updated_at,
        )


# Bulk actions of the desk (`bulk.py`).
BULK_MAX_TICKETS = 100


class BulkRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    numbers: list[str] = Field(min_length=1, max_length=BULK_MAX_TICKETS)
    changes: TicketUpdate = Field(default_factory=TicketUpdate)
    note: MultiLine | None = Field(
        default=None,
        min_length=1,
        max_length=100_000,
        description="An internal note on every ticket.",
    )

    @field_validator("numbers")
    @classmethod
    def _distinct(cls, numbers: list[str]) -> list[str]:
        # Sorted, so that two bulk actions over the same tickets lock them in one order.
        return sorted({n.strip().upper() for n in numbers if n.strip()})


class BulkOutcome(BaseModel):
    number: str
    ok: bool
    status: int = Field(description="The HTTP status the single change would have had.")
    detail: str | None = None
    errors: list[dict[str, str]] = Field(default_factory=list)


class BulkResult(BaseModel):
    changed: int
    failed: int
    results: list[BulkOutcome]
