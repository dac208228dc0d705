"""Mail threading headers on outgoing mail, mails in several languages, automatic answers

Revision ID: 202612121200
Revises: 202612051400
Create Date: 2026-12-12 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612121200"
down_revision: str | None = "202612051400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.alter_column("language", existing_type=sa.String(length=2), type_=sa.String(length=8))
        batch.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("in_reply_to", sa.String(length=255), nullable=True))
        batch.add_column(sa.Column("references", sa.String(length=1000), nullable=True))
        batch.add_column(sa.Column("reply_to", sa.String(length=400), nullable=True))
        batch.add_column(
            sa.Column(
                "auto_submitted",
                sa.String(length=32),
                nullable=False,
                server_default="auto-generated",
            )
        )
    op.create_table(
        "auto_answer",
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("address", "day", name=op.f("pk_auto_answer")),
    )


def downgrade() -> None:
    op.drop_table("auto_answer")
    # A mail in several languages keeps its first.
    op.execute("UPDATE outgoing_mail SET language = substr(language, 1, 2)")
    with op.batch_alter_table("outgoing_mail") as batch:
        batch.drop_column("auto_submitted")
        batch.drop_column("reply_to")
        batch.drop_column("references")
        batch.drop_column("in_reply_to")
        batch.drop_column("message_id")
        batch.alter_column("language", existing_type=sa.String(length=8), type_=sa.String(length=2))
