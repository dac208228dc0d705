"""Outbox and inbox tables, added to each service's own metadata (and migrations)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    Uuid,
)

from portal_chassis.db import UTCDateTime, utcnow


@dataclass(frozen=True)
class MessagingTables:
    outbox: Table
    inbox: Table


def add_messaging_tables(metadata: MetaData) -> MessagingTables:
    outbox = Table(
        "outbox_message",
        metadata,
        # A monotonically increasing key gives the relay a cheap publishing order.
        Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("type", String(200), nullable=False),
        Column("payload", Text, nullable=False),
        Column("created_at", UTCDateTime, nullable=False, default=utcnow),
        Column("published_at", UTCDateTime, nullable=True),
    )
    Index(
        "ix_outbox_message_pending",
        outbox.c.seq,
        postgresql_where=outbox.c.published_at.is_(None),
        sqlite_where=outbox.c.published_at.is_(None),
    )
    inbox = Table(
        "inbox_message",
        metadata,
        Column("event_id", Uuid, primary_key=True),
        Column("consumer", String(200), primary_key=True),
        Column("processed_at", UTCDateTime, nullable=False, default=utcnow),
    )
    return MessagingTables(outbox=outbox, inbox=inbox)
