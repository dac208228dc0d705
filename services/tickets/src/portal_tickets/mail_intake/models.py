"""Every mail the intake took in: what became of it, and the raw mail for a while (audit
and `portal mail reprocess`)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime
from portal_tickets.base import Base


class InboundMail(Base):
    __tablename__ = "inbound_mail"
    __table_args__ = (Index("ix_inbound_mail_received", "received_at"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    source: Mapped[str] = mapped_column(String(200))
    sender: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(200))
    # received, threaded, opened, follow_up, rejected, suppressed, duplicate, failed
    outcome: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    ticket_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    raw: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # While an intake worker takes the mail in (outcome "received"): until when the others
    # leave it to that worker. None once done, or given back after a passing fault.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
