"""Events the tickets service publishes about links between tickets."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class TicketMerged(Event):
    """A duplicate was merged into another ticket of its organization: its messages,
    notes and their files now belong to `into`, and it is closed, pointing there.
    `file_ids`: the files of the moved public messages, which whoever sees `into` may
    now read (the files of internal notes stay with the service desk)."""

    event_type: ClassVar[str] = "tickets.ticket.merged"

    number: str
    into: str
    organization_id: uuid.UUID | None
    moved_article_ids: list[uuid.UUID]
    file_ids: list[uuid.UUID]
    actor_id: uuid.UUID
    occurred_at: datetime
