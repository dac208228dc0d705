"""Events the notify service reacts to."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_notify.notification import service
from portal_notify.uow import NotifyUoW


@consumer("tickets.ticket.created", name="notify.ticket_created")
async def on_ticket_created(event: Envelope, uow: NotifyUoW) -> None:
    data = event.data
    await service.notify_user(
        uow=uow,
        user_id=uuid.UUID(data["creator_id"]),
        kind="ticket.created",
        title=f"Ticket {data['number']} was created: {data['title']}",
        ticket_number=data["number"],
        source_event_id=event.id,
    )
