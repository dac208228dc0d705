"""access from sign-in: people without an account ask for access on the sign-in page

Revision ID: 202612161100
Revises: 202612161000
Create Date: 2026-12-16 11:00:00.000000

A request from the sign-in page has no requester and, until its address is confirmed
and its domain matched, no organization; it carries the person's company, phone and
function, and the digest of its confirmation token. The state column (a plain string)
takes the new state `unconfirmed` without a change.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal_chassis.db

revision: str = "202612161100"
down_revision: str | None = "202612161000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "origin = 'sign_in' AND state IN ('unconfirmed', 'pending')"


def upgrade() -> None:
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "origin",
                sa.Enum("colleague", "sign_in", name="requestorigin", native_enum=False, length=16),
                nullable=False,
                server_default="colleague",
            )
        )
        batch_op.add_column(
            sa.Column("company", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("phone", sa.String(length=50), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("function", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("confirmation_digest", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column(
                "confirmation_expires_at",
                portal_chassis.db.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
        batch_op.add_column(
            sa.Column("confirmed_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.alter_column("organization_id", existing_type=sa.Uuid(), nullable=True)
        batch_op.alter_column("requested_by", existing_type=sa.Uuid(), nullable=True)
        batch_op.create_unique_constraint(
            batch_op.f("uq_access_request_confirmation_digest"), ["confirmation_digest"]
        )
    op.create_index(
        "uq_access_request_open_email",
        "access_request",
        ["email"],
        unique=True,
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("uq_access_request_open_email", table_name="access_request")
    # Requests from the sign-in page have no requester (nor, maybe, an organization):
    # they cannot stay once the columns are required again.
    op.execute("DELETE FROM access_request WHERE origin = 'sign_in'")
    with op.batch_alter_table("access_request", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_access_request_confirmation_digest"), type_="unique"
        )
        batch_op.alter_column("requested_by", existing_type=sa.Uuid(), nullable=False)
        batch_op.alter_column("organization_id", existing_type=sa.Uuid(), nullable=False)
        batch_op.drop_column("confirmed_at")
        batch_op.drop_column("confirmation_expires_at")
        batch_op.drop_column("confirmation_digest")
        batch_op.drop_column("function")
        batch_op.drop_column("phone")
        batch_op.drop_column("company")
        batch_op.drop_column("origin")
