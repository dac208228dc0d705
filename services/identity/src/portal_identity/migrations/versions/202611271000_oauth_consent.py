"""oauth consent: first-party clients, users' consents and pending consent requests

Revision ID: 202611271000
Revises: 202611231201
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal_chassis.db

revision: str = "202611271000"
down_revision: str | None = "202611231201"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("oauth_client", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("first_party", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    op.create_table(
        "oauth_consent",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("scope", sa.String(length=200), nullable=False),
        sa.Column("granted_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_client.id"],
            name=op.f("fk_oauth_consent_client_id_oauth_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_oauth_consent_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_consent")),
        sa.UniqueConstraint("user_id", "client_id", name=op.f("uq_oauth_consent_user_id")),
    )
    with op.batch_alter_table("oauth_consent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_oauth_consent_client_id"), ["client_id"], unique=False)

    op.create_table(
        "oauth_consent_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_hash", sa.String(length=64), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("auth_time", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["oauth_client.id"],
            name=op.f("fk_oauth_consent_request_client_id_oauth_client"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_oauth_consent_request_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_consent_request")),
        sa.UniqueConstraint("ticket_hash", name=op.f("uq_oauth_consent_request_ticket_hash")),
    )
    with op.batch_alter_table("oauth_consent_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_oauth_consent_request_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("oauth_consent_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oauth_consent_request_client_id"))
    op.drop_table("oauth_consent_request")
    with op.batch_alter_table("oauth_consent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_oauth_consent_client_id"))
    op.drop_table("oauth_consent")
    with op.batch_alter_table("oauth_client", schema=None) as batch_op:
        batch_op.drop_column("first_party")
