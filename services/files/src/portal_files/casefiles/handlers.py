"""Tickets events that tell the files service which tickets exist and whose they are."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_files.casefiles.models import KnownTicket
from portal_files.uow import FilesUoW


@consumer("tickets.ticket.created", name="files.casefiles.ticket")
async def on_ticket_created(event: Envelope, uow: FilesUoW) -> None:
    data = event.data
    async with uow:
        if await uow.cases.ticket(data["number"]) is None:
            org = data.get("organization_id")
            uow.session.add(
                KnownTicket(
                    number=data["number"],
                    id=uuid.UUID(data["id"]),
                    organization_id=uuid.UUID(org) if org else None,
                )
            )
        await uow.commit()
