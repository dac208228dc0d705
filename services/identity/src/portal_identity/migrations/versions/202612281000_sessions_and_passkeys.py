"""sign-in sessions a user can see and end; passkeys (WebAuthn) and their challenges

Revision ID: 202612281000
Revises: 202612181000
Create Date: 2026-12-28 10:00:00.000000

A sign-in session is one refresh-token family (its id is the family's and the tokens'
`sid`). Sign-ins from before have no session row: they stay valid, unlisted, until their
refresh tokens expire or the user ends all sessions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import portal_chassis.db

revision: str = "202612281000"
down_revision: str | None = "202612181000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_session",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("user_agent", sa.String(length=512), nullable=False),
        sa.Column("device", sa.String(length=128), nullable=False),
        sa.Column("device_key", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("remember_me", sa.Boolean(), nullable=False),
        sa.Column("amr", sa.JSON(), nullable=False),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_sign_in_session_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_session")),
    )
    op.create_index(
        op.f("ix_sign_in_session_user_id"), "sign_in_session", ["user_id"], unique=False
    )
    op.create_index("ix_sign_in_session_user_device", "sign_in_session", ["user_id", "device_key"])
    op.create_table(
        "passkey",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("credential_id", sa.String(length=1400), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("sign_count", sa.BigInteger(), nullable=False),
        sa.Column("transports", sa.JSON(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_passkey_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey")),
        sa.UniqueConstraint("credential_id", name=op.f("uq_passkey_credential_id")),
    )
    op.create_index(op.f("ix_passkey_user_id"), "passkey", ["user_id"], unique=False)
    op.create_table(
        "passkey_challenge",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("challenge", sa.String(length=128), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("expires_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", portal_chassis.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user_account.id"],
            name=op.f("fk_passkey_challenge_user_id_user_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_passkey_challenge")),
    )
    op.create_index(
        op.f("ix_passkey_challenge_expires_at"), "passkey_challenge", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_passkey_challenge_expires_at"), table_name="passkey_challenge")
    op.drop_table("passkey_challenge")
    op.drop_index(op.f("ix_passkey_user_id"), table_name="passkey")
    op.drop_table("passkey")
    op.drop_index("ix_sign_in_session_user_device", table_name="sign_in_session")
    op.drop_index(op.f("ix_sign_in_session_user_id"), table_name="sign_in_session")
    op.drop_table("sign_in_session")
