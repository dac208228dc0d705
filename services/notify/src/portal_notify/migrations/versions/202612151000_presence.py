"""Who of the service desk has which ticket open

Revision ID: 202612151000
Revises: 202612121200
Create Date: 2026-12-15 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612151000"
down_revision: str | None = "202612121200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "presence",
        sa.Column("ticket_number", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("typing", sa.Boolean(), nullable=False),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("ticket_number", "user_id", name=op.f("pk_presence")),
    )
    op.create_index("ix_presence_user", "presence", ["user_id", "seen_at"])


def downgrade() -> None:
    op.drop_index("ix_presence_user", table_name="presence")
    op.drop_table("presence")
