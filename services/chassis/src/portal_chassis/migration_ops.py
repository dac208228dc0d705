"""Schema operations for the chassis' own tables, called from every service's migrations.

A published version is never changed (old migrations must keep doing what they did);
a change to these tables gets a new `_v2` function and a migration in each service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime


def create_messaging_tables_v1() -> None:
    op.create_table(
        "inbox_message",
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("consumer", sa.String(length=200), nullable=False),
        sa.Column("processed_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", "consumer", name=op.f("pk_inbox_message")),
    )
    op.create_table(
        "outbox_message",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("published_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_outbox_message")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_message_event_id")),
    )
    op.create_index(
        "ix_outbox_message_pending",
        "outbox_message",
        ["seq"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
        sqlite_where=sa.text("published_at IS NULL"),
    )


def drop_messaging_tables_v1() -> None:
    op.drop_index("ix_outbox_message_pending", table_name="outbox_message")
    op.drop_table("outbox_message")
    op.drop_table("inbox_message")
