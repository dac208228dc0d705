"""The full-text indexes are updated in place: no insert merges a pending list (a stall of
every creation queued behind it) and no search scans one (PostgreSQL)."""

from __future__ import annotations

import pytest
from portal_harness import Portal
from sqlalchemy import text

pytestmark = pytest.mark.integration


async def test_the_full_text_indexes_keep_no_pending_list(world: Portal) -> None:
    async with world.tickets.engine.connect() as conn:
        rows = await conn.execute(
            text(
                "SELECT c.relname, c.reloptions FROM pg_class AS c "
                "JOIN pg_index AS i ON i.indexrelid = c.oid "
                "JOIN pg_am AS a ON a.oid = c.relam "
                "WHERE i.indrelid = 'ticket_search'::regclass AND a.amname = 'gin'"
            )
        )
        found = {name: options for name, options in rows}
    assert found == {
        "ix_ticket_search_fts_public": ["fastupdate=off"],
        "ix_ticket_search_fts_internal": ["fastupdate=off"],
    }
