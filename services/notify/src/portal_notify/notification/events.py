"""Events the notify service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class NotificationCreated(Event):
    event_type: ClassVar[str] = "notify.notification.created"

    id: uuid.UUID
    user_id: uuid.UUID
    kind: str
    title: str
    ticket_number: str | None
    created_at: datetime
