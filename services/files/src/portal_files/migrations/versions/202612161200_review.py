"""review: where a ticket stands in its organization's internal review

Revision ID: 202612161200
Revises: 202612051226
Create Date: 2026-12-16 12:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612161200"
down_revision: str | None = "202612051226"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Tickets known already are with the vendor: the review step is new.
    with op.batch_alter_table("known_ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("known_ticket", schema=None) as batch_op:
        batch_op.drop_column("review")
