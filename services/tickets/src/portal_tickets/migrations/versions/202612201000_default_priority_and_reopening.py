"""A contract's default priority, and the time a ticket spent resolved

Contracts get `default_priority` (P1..P4; null: P4), the priority a new ticket gets when
its creator names none (a mail, for one). Tickets get `sla_resolved_seconds`: the
business time spent resolved before a reopening, which the resolution target does not
count (existing tickets: none).

Revision ID: 202612201000
Revises: 202612171000
Create Date: 2026-12-20 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612201000"
down_revision: str | None = "202612171000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.add_column(sa.Column("default_priority", sa.String(length=2), nullable=True))
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sla_resolved_seconds", sa.Float(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("sla_resolved_seconds")
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.drop_column("default_priority")
