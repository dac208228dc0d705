"""Identity and tickets events that keep the directory current. They run before the
consumers that route notifications (module order), so routing sees the newest facts."""

from __future__ import annotations

import uuid
from datetime import datetime

from portal_chassis.consumers import consumer
from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Organization, Person, TicketCard
from portal_notify.uow import NotifyUoW

TICKET_FACTS = (
    "tickets.ticket.created",
    "tickets.ticket.updated",
    "tickets.ticket.status_changed",
    "tickets.ticket.escalated",
    "tickets.ticket.closed",
    "tickets.ticket.cancelled",
    "tickets.sla.breached",
)


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


@consumer(
    "identity.user.created",
    "identity.user.updated",
    "identity.user.deactivated",
    name="notify.directory.user",
)
async def on_user(event: Envelope, uow: NotifyUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            Person,
            id=uuid.UUID(data["id"]),
            username=data["username"],
            display_name=data["display_name"],
            email=data["email"],
            language=data["language"],
            organization_id=_uuid(data["organization_id"]),
            roles=list(data["roles"]),
            active=data["active"],
            preferences=dict(data.get("notification_preferences") or {}),
            as_of=event.occurred_at,
        )
        await uow.commit()


@consumer(
    "identity.organization.created",
    "identity.organization.updated",
    name="notify.directory.organization",
)
async def on_organization(event: Envelope, uow: NotifyUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            Organization,
            id=uuid.UUID(data["id"]),
            org_wide_visibility=bool(data.get("org_wide_visibility")),
            active=bool(data.get("active", True)),
            as_of=event.occurred_at,
        )
        await uow.commit()


@consumer(*TICKET_FACTS, name="notify.directory.ticket")
async def on_ticket(event: Envelope, uow: NotifyUoW) -> None:
    data = event.data
    async with uow:
        await uow.directory.upsert(
            TicketCard,
            id=uuid.UUID(data["id"]),
            number=data["number"],
            title=data["title"],
            organization_id=_uuid(data["organization_id"]),
            creator_id=uuid.UUID(data["creator_id"]),
            contact_id=uuid.UUID(data["contact_id"]),
            assignee_id=_uuid(data["assignee_id"]),
            status=data["status"],
            portal_status=data["portal_status"],
            as_of=datetime.fromisoformat(data["occurred_at"]),
        )
        await uow.commit()


@consumer("tickets.ticket.followed", "tickets.ticket.unfollowed", name="notify.directory.follow")
async def on_follow(event: Envelope, uow: NotifyUoW) -> None:
    data = event.data
    ticket_id, user_id = uuid.UUID(data["ticket_id"]), uuid.UUID(data["user_id"])
    async with uow:
        if await uow.directory.card(ticket_id, data["number"]) is None:
            # Not even the tickets service knows it (yet): retry.
            raise LookupError(f"ticket {data['number']} not known yet")
        if event.type == "tickets.ticket.followed":
            await uow.directory.follow(ticket_id, user_id)
        else:
            await uow.directory.unfollow(ticket_id, user_id)
        await uow.commit()


HANDLERS = [on_user, on_organization, on_ticket, on_follow]
