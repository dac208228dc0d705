"""indexes for steady response times

* The search index's GIN indexes stop collecting new entries in a pending list
  (`fastupdate = off`, PostgreSQL; SQLite's FTS5 index has none). With the list most
  inserts were cheap, but the one that filled it merged it into the index while its
  ticket was being created, and every search scanned the unmerged list besides the
  index. Consistent response time is worth the slightly dearer insert.
* `ix_ticket_open_breach`: the breach gauges, refreshed every 15 s in every replica,
  count the open tickets past a target by priority from this index alone instead of
  scanning the whole table (a quarter of a second of both cores with a million tickets).

Revision ID: 202612230900
Revises: 202612221000
Create Date: 2026-12-23 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "202612230900"
down_revision: str | None = "202612221000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GIN_INDEXES = ("ix_ticket_search_fts_public", "ix_ticket_search_fts_internal")
DONE = "'cancelled', 'closed', 'resolved'"


def upgrade() -> None:
    op.create_index(
        "ix_ticket_open_breach",
        "ticket",
        ["priority", "sla_due_at", "resolution_due_at", "first_response_at", "sla_paused_at"],
        # PostgreSQL's form is the one its catalog gives back (a rebuilt index is the same).
        postgresql_where=sa.text(f"status::text <> ALL (ARRAY[{DONE}])"),
        sqlite_where=sa.text(f"status NOT IN ({DONE})"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in GIN_INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # Entries already pending are merged now, not by a customer's next ticket.
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in GIN_INDEXES:
            op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
    op.drop_index("ix_ticket_open_breach", table_name="ticket")
