"""What the API takes and shows of who has a ticket open."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from portal_notify.presence.models import Presence


class PresenceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Whether the caller is writing a reply right now.
    typing: bool = False


class Viewer(BaseModel):
    user_id: uuid.UUID
    name: str
    typing: bool
    since: datetime

    @classmethod
    def of(cls, row: Presence) -> Viewer:
        return cls(user_id=row.user_id, name=row.name, typing=row.typing, since=row.since)


class Viewers(BaseModel):
    """The other people of the service desk who have the ticket open."""

    viewers: list[Viewer]


class PresenceChange(Viewers):
    """The `presence` event of the live stream: who else has `ticket` open now."""

    ticket: str
