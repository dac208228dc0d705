"""ticket visibility

Revision ID: 202612051226
Revises: 202611231654
Create Date: 2026-12-05 12:26:36.884402
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import portal_chassis.db

revision: str = "202612051226"
down_revision: str | None = "202611231654"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "known_organization",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("org_wide_visibility", sa.Boolean(), nullable=False),
        sa.Column("as_of", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_known_organization")),
    )
    op.create_table(
        "ticket_attachment",
        sa.Column("file_id", sa.Uuid(), nullable=False),
        sa.Column("ticket_number", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["stored_file.id"],
            name=op.f("fk_ticket_attachment_file_id_stored_file"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", "ticket_number", name=op.f("pk_ticket_attachment")),
    )
    with op.batch_alter_table("known_ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("creator_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("contact_id", sa.Uuid(), nullable=True))
        batch_op.add_column(
            sa.Column("as_of", portal_chassis.db.UTCDateTime(timezone=True), nullable=True)
        )
    # Tickets known already count as known since forever: any event of theirs is newer.
    known = sa.table("known_ticket", sa.column("as_of", portal_chassis.db.UTCDateTime()))
    op.execute(known.update().values(as_of=datetime(1970, 1, 1, tzinfo=UTC)))
    with op.batch_alter_table("known_ticket", schema=None) as batch_op:
        batch_op.alter_column(
            "as_of", existing_type=portal_chassis.db.UTCDateTime(timezone=True), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("known_ticket", schema=None) as batch_op:
        batch_op.drop_column("as_of")
        batch_op.drop_column("contact_id")
        batch_op.drop_column("creator_id")

    op.drop_table("ticket_attachment")
    op.drop_table("known_organization")
