"""The desk: agent groups with routing rules, text modules, links between tickets

Tickets get the group that works them, for a merged duplicate the ticket it was merged
into, and their next due time for the desk's queue (`Ticket.next_due`), filled in here
by the same rule.

Revision ID: 202612141000
Revises: 202612131200
Create Date: 2026-12-14 10:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612141000"
down_revision: str | None = "202612131200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[Any]]:
    return [
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
    ]


# What `Ticket.next_due` gives an open ticket without a target that counts.
NO_DUE = datetime(9999, 1, 1, tzinfo=UTC)
DONE = ("resolved", "closed", "cancelled")
HAS_NEXT_DUE = "next_due_at IS NOT NULL"
ticket = sa.table(
    "ticket",
    sa.column("status", sa.String()),
    sa.column("first_response_at", UTCDateTime()),
    sa.column("sla_due_at", UTCDateTime()),
    sa.column("resolution_due_at", UTCDateTime()),
    sa.column("next_due_at", UTCDateTime()),
)


def _fill_next_due() -> None:
    """`Ticket.next_due` in SQL, as it stands today: nothing once done; the reaction's due
    time while unanswered, if earlier than the resolution's; else the resolution's."""
    t = ticket.c
    reaction_first = sa.and_(
        t.first_response_at.is_(None),
        t.sla_due_at.is_not(None),
        sa.or_(t.resolution_due_at.is_(None), t.sla_due_at < t.resolution_due_at),
    )
    op.execute(
        ticket.update().values(
            next_due_at=sa.case(
                (t.status.in_(DONE), sa.null()),
                (reaction_first, t.sla_due_at),
                else_=sa.func.coalesce(t.resolution_due_at, sa.literal(NO_DUE, UTCDateTime())),
            )
        )
    )


def upgrade() -> None:
    op.create_table(
        "agent_group",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("member_ids", sa.JSON(), nullable=False),
        sa.Column("round_robin", sa.Boolean(), nullable=False),
        sa.Column("handed_out", sa.Integer(), server_default="0", nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agent_group")),
        sa.UniqueConstraint("name", name=op.f("uq_agent_group_name")),
    )
    op.create_table(
        "routing_rule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Uuid(), nullable=False),
        sa.Column("subject_area", sa.String(length=100), nullable=True),
        sa.Column("category", sa.String(length=32), nullable=True),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("product", sa.String(length=200), nullable=True),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["agent_group.id"],
            name=op.f("fk_routing_rule_group_id_agent_group"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rule")),
    )
    op.create_index("ix_routing_rule_position", "routing_rule", ["position"])
    op.create_table(
        "text_module",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("keywords", sa.String(length=300), nullable=False),
        sa.Column("set_status", sa.String(length=32), nullable=True),
        sa.Column("set_priority", sa.String(length=8), nullable=True),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        # As `text_modules.models.search_text` writes it: name, keywords, body.
        sa.Column("search_text", sa.Text(), nullable=False),
        *_stamps(),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_module")),
        sa.UniqueConstraint("name", "language", name=op.f("uq_text_module_name")),
    )
    op.create_index("ix_text_module_language_name", "text_module", ["language", "name"])
    op.create_table(
        "ticket_link",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("ticket_id", sa.Uuid(), nullable=False),
        sa.Column("other_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_by", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["ticket.id"],
            name=op.f("fk_ticket_link_ticket_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["other_id"],
            ["ticket.id"],
            name=op.f("fk_ticket_link_other_id_ticket"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_link")),
        sa.UniqueConstraint("ticket_id", "other_id", name=op.f("uq_ticket_link_ticket_id")),
    )
    op.create_index("ix_ticket_link_other", "ticket_link", ["other_id"])
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("group_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("merged_into", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("next_due_at", UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table("article") as batch:
        batch.add_column(sa.Column("minutes", sa.Integer(), nullable=True))
    op.create_index("ix_ticket_group_created", "ticket", ["group_id", "created_at", "seq"])
    _fill_next_due()
    for name, columns in (
        ("ix_ticket_group_due", ["group_id", "next_due_at", "seq"]),
        ("ix_ticket_due", ["next_due_at", "seq"]),
    ):
        op.create_index(
            name,
            "ticket",
            columns,
            postgresql_where=sa.text(HAS_NEXT_DUE),
            sqlite_where=sa.text(HAS_NEXT_DUE),
        )


def downgrade() -> None:
    with op.batch_alter_table("article") as batch:
        batch.drop_column("minutes")
    op.drop_index("ix_ticket_due", table_name="ticket")
    op.drop_index("ix_ticket_group_due", table_name="ticket")
    op.drop_index("ix_ticket_group_created", table_name="ticket")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_column("next_due_at")
        batch.drop_column("merged_into")
        batch.drop_column("group_id")
    op.drop_index("ix_ticket_link_other", table_name="ticket_link")
    op.drop_table("ticket_link")
    op.drop_index("ix_text_module_language_name", table_name="text_module")
    op.drop_table("text_module")
    op.drop_index("ix_routing_rule_position", table_name="routing_rule")
    op.drop_table("routing_rule")
    op.drop_table("agent_group")
