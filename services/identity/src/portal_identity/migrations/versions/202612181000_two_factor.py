"""two-factor sign-in: TOTP factors, recovery codes, pending second steps, the policy

Revision ID: 202612181000
Revises: 202612161100
Create Date: 2026-12-18 10:00:00.000000

Sign-ins remember how they were made (`amr`): the portal's refresh tokens, and for
OpenID Connect the codes, the pending consent pages and the refresh tokens. Rows from
before were signed in with the password alone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal_chassis.db

revision: str = "202612181000"
down_revision: str | None = "202612161100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WITH_AMR = (
    "refresh_token",
    "oauth_authorization_code",
    "oauth_consent_request",
    "oauth_refresh_token",
)


def upgrade() -> None:
    op.create_table(
        "mfa_totp",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("confirmed_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_step", sa.BigInteger(), nullable=True),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_mfa_totp_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_mfa_totp")),
    )
    op.create_table(
        "mfa_recovery_code",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("used_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_mfa_recovery_code_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_recovery_code")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_mfa_recovery_code_code_hash")),
    )
    op.create_index(
        op.f("ix_mfa_recovery_code_user_id"), "mfa_recovery_code", ["user_id"], unique=False
    )
    op.create_table(
        "mfa_challenge",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("remember_me", sa.Boolean(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("expires_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_mfa_challenge_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mfa_challenge")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_mfa_challenge_token_hash")),
    )
    op.create_index(
        op.f("ix_mfa_challenge_expires_at"), "mfa_challenge", ["expires_at"], unique=False
    )
    op.create_index(op.f("ix_mfa_challenge_user_id"), "mfa_challenge", ["user_id"], unique=False)
    op.create_table(
        "mfa_required_role",
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("role", name=op.f("pk_mfa_required_role")),
    )
    for table in WITH_AMR:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("amr", sa.JSON(), nullable=False, server_default='["pwd"]')
            )


def downgrade() -> None:
    for table in WITH_AMR:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("amr")
    op.drop_table("mfa_required_role")
    op.drop_index(op.f("ix_mfa_challenge_user_id"), table_name="mfa_challenge")
    op.drop_index(op.f("ix_mfa_challenge_expires_at"), table_name="mfa_challenge")
    op.drop_table("mfa_challenge")
    op.drop_index(op.f("ix_mfa_recovery_code_user_id"), table_name="mfa_recovery_code")
    op.drop_table("mfa_recovery_code")
    op.drop_table("mfa_totp")
