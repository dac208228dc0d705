"""review: a person's permissions, an organization's name, a ticket's internal review

Revision ID: 202612161200
Revises: 202612151000
Create Date: 2026-12-16 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612161200"
down_revision: str | None = "202612151000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # People and organizations known already get theirs with their next event; tickets
    # known already are with the vendor (the review step is new).
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("name", sa.String(length=200), nullable=False, server_default="")
        )
    with op.batch_alter_table("ticket_card", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_card", schema=None) as batch_op:
        batch_op.drop_column("review")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("name")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("permissions")
