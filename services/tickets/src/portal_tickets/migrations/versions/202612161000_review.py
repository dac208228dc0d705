"""The customer's own first level: a ticket's internal review and its hand-over

Tickets get `review` (set while in their organization's review; existing tickets are
with the service desk) and `handed_over_at`; the directory learns organizations'
`internal_review` and users' permissions.

Revision ID: 202612161000
Revises: 202612141000
Create Date: 2026-12-16 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612161000"
down_revision: str | None = "202612141000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

REVIEW = sa.Enum("internal", "requester", name="review", native_enum=False, length=32)


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("review", REVIEW, nullable=True))
        batch_op.add_column(sa.Column("handed_over_at", UTCDateTime(), nullable=True))
    with op.batch_alter_table("directory_organization", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal_review", sa.Boolean(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("directory_user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("directory_user", schema=None) as batch_op:
        batch_op.drop_column("permissions")
    with op.batch_alter_table("directory_organization", schema=None) as batch_op:
        batch_op.drop_column("internal_review")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("handed_over_at")
        batch_op.drop_column("review")
