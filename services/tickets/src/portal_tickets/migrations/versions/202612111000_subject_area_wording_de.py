"""German wording of subject areas and their subtypes

Revision ID: 202612111000
Revises: 202612100900
Create Date: 2026-12-11 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612111000"
down_revision: str | None = "202612100900"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("subject_area") as batch:
        batch.add_column(sa.Column("name_de", sa.String(length=100), nullable=True))
        # Existing areas have no German labels yet: an empty mapping, not NULL.
        batch.add_column(
            sa.Column("subtypes_de", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )


def downgrade() -> None:
    with op.batch_alter_table("subject_area") as batch:
        batch.drop_column("subtypes_de")
        batch.drop_column("name_de")
