from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel

from portal_notify.notification.models import Notification


class NotificationRead(BaseModel):
    id: uuid.UUID
    seq: int
    kind: str
    title: str
    body: str
    ticket_number: str | None
    link: str | None
    created_at: datetime
    read: bool

    @classmethod
    def of(cls, n: Notification) -> NotificationRead:
        return cls(
            id=n.id,
            seq=n.user_seq,
            kind=n.kind,
            title=n.title,
            body=n.body,
            ticket_number=n.ticket_number,
            link=n.link,
            created_at=n.created_at,
            read=n.read_at is not None,
        )


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None
    unread_count: int


class ReadResult(BaseModel):
    marked: int
    unread_count: int
