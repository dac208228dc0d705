"""Tickets and identity events that keep the directory current: which tickets exist,
whose they are, and which organizations keep tickets to the people on them."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_files.uow import FilesUoW

# Every event that carries the ticket's facts (creator, contact, organization), so a
# changed contact reaches the files service with the ticket's next event.
TICKET_FACTS = (
    "tickets.ticket.created",
    "tickets.ticket.updated",
    "tickets.ticket.status_changed",
    "tickets.ticket.escalated",
    "tickets.ticket.closed",
    "tickets.ticket.cancelled",
    "tickets.sla.breached",
)


@consumer(*TICKET_FACTS, name="files.directory.ticket")
async def on_ticket(event: Envelope, uow: FilesUoW) -> None:
    data = event.data
    org = data.get("organization_id")
    async with uow:
        await uow.directory.upsert_ticket(
            number=data["number"],
            id=uuid.UUID(data["id"]),
            organization_id=uuid.UUID(org) if org else None,
            creator_id=uuid.UUID(data["creator_id"]),
            contact_id=uuid.UUID(data["contact_id"]),
            as_of=event.occurred_at,
        )
        await uow.commit()


@consumer(
    "identity.organization.created",
    "identity.organization.updated",
    name="files.directory.organization",
)
async def on_organization(event: Envelope, uow: FilesUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert_organization(
            id=uuid.UUID(data["id"]),
            org_wide_visibility=bool(data["org_wide_visibility"]),
            as_of=event.occurred_at,
        )
        await uow.commit()


HANDLERS = [on_ticket, on_organization]
