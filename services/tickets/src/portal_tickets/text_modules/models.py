"""Text modules: reusable answers of the service desk, in German or English, with
placeholders (`{{customer.name}}`, `{{ticket.number}}`, ...) filled in for a ticket."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base
from portal_tickets.searched import Searched


# The fields a search looks at, in this order.
class TextModule(Base, Searched):
    __tablename__ = "text_module"
    # The fields a search looks at, in this order.
    SEARCHED = ("name", "keywords", "body")
    __table_args__ = (
        UniqueConstraint("name", "language"),
        Index("ix_text_module_language_name", "language", "name"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    # Words the search box also finds it by.
    keywords: Mapped[str] = mapped_column(String(300), default="")
    # What inserting it may also do to the ticket (internal status, priority).
    set_status: Mapped[str | None] = mapped_column(String(32), nullable=True)
    set_priority: Mapped[str | None] = mapped_column(String(8), nullable=True)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
