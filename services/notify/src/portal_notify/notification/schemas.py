from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel


class NotificationRead(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    ticket_number: str | None
    created_at: datetime
    read: bool


class NotificationPage(BaseModel):
    items: list[NotificationRead]
    next_cursor: str | None
    unread_count: int
