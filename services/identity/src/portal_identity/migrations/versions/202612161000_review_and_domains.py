"""review and domains: an organization's internal review step and e-mail domains, a
user's permissions

Revision ID: 202612161000
Revises: 202612101000
Create Date: 2026-12-16 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612161000"
down_revision: str | None = "202612101000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("internal_review", sa.Boolean(), nullable=False, server_default="0")
        )
    op.create_table(
        "organization_domain",
        sa.Column("domain", sa.String(length=253), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["organization_id"], ["organization.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("domain"),
    )
    op.create_index(
        "ix_organization_domain_organization_id", "organization_domain", ["organization_id"]
    )
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("permissions", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("user_account", schema=None) as batch_op:
        batch_op.drop_column("permissions")
    op.drop_index("ix_organization_domain_organization_id", table_name="organization_domain")
    op.drop_table("organization_domain")
    with op.batch_alter_table("organization", schema=None) as batch_op:
        batch_op.drop_column("internal_review")
