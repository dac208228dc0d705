"""Links between tickets: related tickets, and a duplicate merged into another."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base


class LinkKind(enum.StrEnum):
    RELATED = "related"
    # `ticket_id` was merged into `other_id` (its messages, files and followers moved).
    MERGED = "merged"


class TicketLink(Base):
    """One row per pair: a link shows on both tickets."""

    __tablename__ = "ticket_link"
    __table_args__ = (
        UniqueConstraint("ticket_id", "other_id"),
        Index("ix_ticket_link_other", "other_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ticket_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("ticket.id", ondelete="CASCADE"))
    other_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[LinkKind] = mapped_column(
        Enum(LinkKind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
