"""The e-mail channel: how tickets and messages arrived, follow-ups, received mails

Revision ID: 202612121000
Revises: 202612111000
Create Date: 2026-12-12 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612121000"
down_revision: str | None = "202612111000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=32), nullable=False, server_default="portal")
        )
        batch.add_column(sa.Column("follow_up_of", sa.String(length=32), nullable=True))
        batch.create_index("ix_ticket_follow_up_of", ["follow_up_of"])
    with op.batch_alter_table("article") as batch:
        batch.add_column(
            sa.Column("channel", sa.String(length=32), nullable=False, server_default="portal")
        )
        batch.add_column(sa.Column("mail_message_id", sa.String(length=255), nullable=True))
        batch.create_unique_constraint("uq_article_mail_message_id", ["mail_message_id"])
    op.create_table(
        "inbound_mail",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("ticket_number", sa.String(length=32), nullable=True),
        sa.Column("raw", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("processed_at", UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_mail")),
        sa.UniqueConstraint("message_id", name=op.f("uq_inbound_mail_message_id")),
    )
    op.create_index("ix_inbound_mail_received", "inbound_mail", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_inbound_mail_received", table_name="inbound_mail")
    op.drop_table("inbound_mail")
    with op.batch_alter_table("article") as batch:
        batch.drop_constraint("uq_article_mail_message_id", type_="unique")
        batch.drop_column("mail_message_id")
        batch.drop_column("channel")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_follow_up_of")
        batch.drop_column("follow_up_of")
        batch.drop_column("channel")
