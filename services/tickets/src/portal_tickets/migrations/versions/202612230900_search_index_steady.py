"""full-text indexes updated in place

The search index's GIN indexes stop collecting new entries in a pending list
(`fastupdate = off`). With the list, most inserts were cheap, but the one that filled it
merged it into the index while the ticket was being created (about 0.1 s with a million
tickets, every creation queued behind it waiting too), and every search scanned the
unmerged list besides the index. Consistent response time is worth the slightly dearer
insert. PostgreSQL only (SQLite's FTS5 index has no such list).

Revision ID: 202612230900
Revises: 202612221000
Create Date: 2026-12-23 09:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "202612230900"
down_revision: str | None = "202612221000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = ("ix_ticket_search_fts_public", "ix_ticket_search_fts_internal")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
        # Entries already pending are merged now, not by a customer's next ticket.
        op.execute(f"SELECT gin_clean_pending_list('{index}'::regclass)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
