"""list and search indexes for large installations

Keyset-friendly list indexes, an index-only path for the summary counters, a partial
index for the SLA scan; on PostgreSQL a sequence for ticket numbers and stored tsvector
columns behind the full-text GIN indexes (matching rows are rechecked against the
stored vector instead of re-parsing the text).

Revision ID: 202611240900
Revises: 202611231200
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202611240900"
down_revision: str | None = "202611231200"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PENDING = "first_response_at IS NULL AND sla_breached_at IS NULL"
VECTOR = "to_tsvector('german', {col}) || to_tsvector('english', {col})"
FTS_COLUMNS = {"fts_public": "public_text", "fts_internal": "internal_text"}


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_org_created")
        batch.drop_index("ix_ticket_creator_created")
        batch.drop_index("ix_ticket_status")
        batch.drop_index("ix_ticket_assignee")
        batch.create_index("ix_ticket_created", ["created_at", "seq"])
        batch.create_index("ix_ticket_org_created", ["organization_id", "created_at", "seq"])
        batch.create_index("ix_ticket_creator_created", ["creator_id", "created_at", "seq"])
        batch.create_index("ix_ticket_assignee_created", ["assignee_id", "created_at", "seq"])
        batch.create_index("ix_ticket_status_priority", ["status", "priority"])
        batch.create_index(
            "ix_ticket_sla_pending",
            ["sla_due_at"],
            postgresql_where=sa.text(PENDING),
            sqlite_where=sa.text(PENDING),
        )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE SEQUENCE ticket_number_seq AS bigint START WITH 1 OWNED BY ticket.seq")
    op.execute(
        "SELECT setval('ticket_number_seq', greatest(value, 1), value > 0) "
        "FROM ticket_counter WHERE id = 1"
    )
    for column, source in FTS_COLUMNS.items():
        op.execute(f"DROP INDEX IF EXISTS ix_ticket_search_{source}_fts")
        op.execute(
            f"ALTER TABLE ticket_search ADD COLUMN {column} tsvector "
            f"GENERATED ALWAYS AS ({VECTOR.format(col=source)}) STORED"
        )
        op.execute(f"CREATE INDEX ix_ticket_search_{column} ON ticket_search USING gin ({column})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for column, source in FTS_COLUMNS.items():
            op.execute(f"DROP INDEX IF EXISTS ix_ticket_search_{column}")
            op.execute(f"ALTER TABLE ticket_search DROP COLUMN {column}")
            op.execute(
                f"CREATE INDEX ix_ticket_search_{source}_fts ON ticket_search USING gin "
                f"(({VECTOR.format(col=source)}))"
            )
        op.execute(
            "UPDATE ticket_counter SET value = (SELECT last_value FROM ticket_number_seq) "
            "WHERE id = 1"
        )
        op.execute("DROP SEQUENCE ticket_number_seq")
    with op.batch_alter_table("ticket") as batch:
        for name in (
            "ix_ticket_sla_pending",
            "ix_ticket_status_priority",
            "ix_ticket_assignee_created",
            "ix_ticket_creator_created",
            "ix_ticket_org_created",
            "ix_ticket_created",
        ):
            batch.drop_index(name)
        batch.create_index("ix_ticket_assignee", ["assignee_id"])
        batch.create_index("ix_ticket_status", ["status"])
        batch.create_index("ix_ticket_creator_created", ["creator_id", "created_at"])
        batch.create_index("ix_ticket_org_created", ["organization_id", "created_at"])
