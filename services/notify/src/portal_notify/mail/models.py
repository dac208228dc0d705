"""The outgoing mail queue, and the automatic answers already given (one per address
and day)."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from sqlalchemy import Date, Enum, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_notify.base import Base


class MailStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    # Every attempt failed (or the server refused for good): kept for an administrator.
    DEAD = "dead"


class OutgoingMail(Base):
    """A mail to send: written with the notification, sent by a background task."""

    __tablename__ = "outgoing_mail"
    __table_args__ = (Index("ix_outgoing_mail_due", "status", "next_attempt_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # The event and the recipient: a redelivered event finds its mail already here.
    dedupe_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(64))
    # One language, or several for a mail written in each ("de, en").
    language: Mapped[str] = mapped_column(String(8))
    recipient_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(400))
    # Emptied once sent: links with single-use tokens do not outlive their delivery.
    text_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    html_body: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[MailStatus] = mapped_column(
        Enum(
            MailStatus, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]
        ),
        default=MailStatus.PENDING,
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A sender holds the mail until then, so that two never send it at once.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The headers that place the mail in its conversation (mail/headers.py), kept so
    # that every attempt sends the same ones; rows from before them have none.
    message_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    in_reply_to: Mapped[str | None] = mapped_column(String(255), nullable=True)
    references: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    reply_to: Mapped[str | None] = mapped_column(String(400), nullable=True)
    auto_submitted: Mapped[str] = mapped_column(
        String(32), default="auto-generated", server_default="auto-generated"
    )


class AutoAnswer(Base):
    """An automatic answer given to an address on one day: its primary key makes the
    second answer of a day fail to insert, however many workers try at once."""

    __tablename__ = "auto_answer"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
