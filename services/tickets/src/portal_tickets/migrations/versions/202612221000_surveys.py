"""Satisfaction surveys

One survey per closed ticket (its link's token kept as a SHA-256 digest, the rating and
comment once answered, the organization, group and assignee it rates), and each user's
choice not to be asked. Tickets closed before get none.

Revision ID: 202612221000
Revises: 202612201000
Create Date: 2026-12-22 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612221000"
down_revision: str | None = "202612201000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("creator_id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("group_id", sa.Uuid(), nullable=True),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("token_digest", sa.String(length=64), nullable=False),
        sa.Column("requested_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("answer_until", UTCDateTime(timezone=True), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("first_answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("answered_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name=op.f("fk_survey_ticket_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("ticket_id", name=op.f("uq_survey_ticket_id")),
        sa.UniqueConstraint("token_digest", name=op.f("uq_survey_token_digest")),
    )
    op.create_index(op.f("ix_survey_creator_id"), "survey", ["creator_id"])
    op.create_index("ix_survey_first_answered", "survey", ["first_answered_at"])
    op.create_table(
        "survey_preference",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("opt_out", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_survey_preference")),
    )


def downgrade() -> None:
    op.drop_table("survey_preference")
    op.drop_index("ix_survey_first_answered", table_name="survey")
    op.drop_index(op.f("ix_survey_creator_id"), table_name="survey")
    op.drop_table("survey")
