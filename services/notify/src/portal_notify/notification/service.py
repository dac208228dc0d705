"""Notification use cases."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_notify.notification.models import Notification
from portal_notify.notification.schemas import NotificationPage, NotificationRead
from portal_notify.uow import NotifyUoW


async def notify_user(
    *,
    uow: NotifyUoW,
    user_id: uuid.UUID,
    kind: str,
    title: str,
    ticket_number: str | None,
    source_event_id: uuid.UUID,
) -> None:
    async with uow:
        uow.notifications.add(
            Notification(
                user_id=user_id,
                kind=kind,
                title=title,
                ticket_number=ticket_number,
                source_event_id=source_event_id,
            )
        )
        await uow.commit()


async def list_notifications(*, uow: NotifyUoW, actor: Actor, limit: int) -> NotificationPage:
    async with uow:
        rows = await uow.notifications.list_for(actor.id, limit=limit)
        unread = await uow.notifications.unread_count(actor.id)
    return NotificationPage(
        items=[
            NotificationRead(
                id=n.id,
                kind=n.kind,
                title=n.title,
                ticket_number=n.ticket_number,
                created_at=n.created_at,
                read=n.read_at is not None,
            )
            for n in rows
        ],
        next_cursor=None,
        unread_count=unread,
    )
