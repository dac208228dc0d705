from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Index, Integer, String, Text, UniqueConstraint, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_notify.base import Base


class Notification(Base):
    """One line in a user's in-app list, written in their language when it happened."""

    __tablename__ = "notification"
    __table_args__ = (
        # One notification per event and person, whatever the bus redelivers.
        UniqueConstraint("source_event_id", "user_id"),
        # The list and the event stream walk a user's notifications by `user_seq`.
        UniqueConstraint("user_id", "user_seq"),
        Index(
            "ix_notification_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    # 1, 2, 3, … per user, in commit order (see NotificationCounter): the list's cursor
    # and the `id:` of server-sent events, so a stream never skips a late commit.
    user_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    kind: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text, default="")
    ticket_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    link: Mapped[str | None] = mapped_column(String(500), nullable=True)
    source_event_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class NotificationCounter(Base):
    """The last `user_seq` given to each user. Taking the next number locks the row
    until commit, so one user's notifications commit in the order of their numbers
    (a global sequence would not: a lower number may commit after a higher one)."""

    __tablename__ = "notification_counter"

    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
