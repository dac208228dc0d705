"""Indexes for steady response times (PostgreSQL): the full-text indexes are updated in
place, so no insert merges a pending list (a stall of every creation queued behind it)
and no search scans one; the breach gauges count from an index of open tickets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from portal_harness import Portal
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql

from portal_tickets.ticket.models import Ticket
from portal_tickets.ticket.repository import BREACHED

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


async def test_the_breach_gauges_count_from_an_index_of_open_tickets(world: Portal) -> None:
    """Every replica refreshes them every 15 s: a scan of the whole ticket table each
    time would take the database's CPU from the requests (PostgreSQL's plan, with the
    table scan made dear as it is with a million tickets)."""
    now = datetime.now(UTC)
    async with world.tickets.engine.connect() as conn:
        await conn.execute(text("SET enable_seqscan = off"))
        for target, breached in BREACHED.items():
            query = select(Ticket.priority, func.count()).where(*breached(now))
            sql = query.group_by(Ticket.priority).compile(
                dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
            )
            plan = "\n".join((await conn.execute(text(f"EXPLAIN {sql}"))).scalars())
            assert "ix_ticket_open_breach" in plan, (target, plan)
