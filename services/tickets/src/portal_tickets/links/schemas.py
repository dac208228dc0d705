"""What the API takes and shows of links between tickets and of a merge."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import SingleLine
from portal_tickets.ticket.models import PortalStatus

# How another ticket relates to the one shown: `merged_into` the ticket this one was
# merged into, `merged_from` one merged into this one, `follow_up_of` the closed ticket
# this one continues, `follow_up` one continuing this one.
LinkKindName = Literal["related", "merged_into", "merged_from", "follow_up_of", "follow_up"]

TicketNumber = Field(min_length=1, max_length=32, description="A ticket's number, e.g. T000123.")


class LinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: SingleLine = TicketNumber


class MergeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    into: SingleLine = TicketNumber


class TicketLinkRead(BaseModel):
    """Another ticket, as linked from the one shown."""

    number: str
    title: str
    kind: LinkKindName
    portal_status: PortalStatus
