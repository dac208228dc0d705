"""anonymous_uploads

Revision ID: 202612051400
Revises: 202611251000
Create Date: 2026-12-05 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612051400"
down_revision: str | None = "202611251000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Uploads through a file exchange's link have no uploader account.
    with op.batch_alter_table("directory_file", schema=None) as batch_op:
        batch_op.alter_column("uploader_id", existing_type=sa.Uuid(), nullable=True)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM directory_file WHERE uploader_id IS NULL"))
    with op.batch_alter_table("directory_file", schema=None) as batch_op:
        batch_op.alter_column("uploader_id", existing_type=sa.Uuid(), nullable=False)
