"""German wording of ticket templates

Revision ID: 202611251000
Revises: 202611241000
Create Date: 2026-11-25 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202611251000"
down_revision: str | None = "202611241000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket_template") as batch:
        batch.add_column(sa.Column("name_de", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("description_de", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket_template") as batch:
        batch.drop_column("description_de")
        batch.drop_column("name_de")
