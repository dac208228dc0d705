"""Who of the service desk has which ticket open right now: one row per ticket and
person, refreshed by the work page every few seconds. A row not refreshed for
`PRESENT_SECONDS` counts as gone (the browser was closed without saying so)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime
from portal_notify.base import Base

# The page says it is still there every 20 s: two missed beats and a bit are "gone".
PRESENT_SECONDS = 45.0


class Presence(Base):
    __tablename__ = "presence"
    # An event stream asks for the tickets its own user is on.
    __table_args__ = (Index("ix_presence_user", "user_id", "seen_at"),)

    ticket_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # The name the others see, taken when the row was written (no join on every look).
    name: Mapped[str] = mapped_column(String(200))
    typing: Mapped[bool] = mapped_column(Boolean, default=False)
    # Since when they have had the ticket open without a break.
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
