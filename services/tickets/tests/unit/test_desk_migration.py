"""Upgrading to the desk: every ticket gets its next due time by the rule the ticket keeps
it with afterwards (`Ticket.next_due`), so that the queue sorted by due time is right
from the first request."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import column, insert, inspect, select, table

from portal_chassis.db import create_engine
from portal_chassis.migrations import alembic_config, downgrade, upgrade
from portal_tickets import migrations
from portal_tickets.base import Base
from portal_tickets.ticket.models import NO_DUE, Status, Ticket

BEFORE = "202612131200"  # the SLA clock, before the desk
OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _at(hours: float) -> datetime:
    return OPENED + timedelta(hours=hours)


def _ticket(
    seq: int,
    status: str,
    *,
    reaction: float | None,
    resolution: float | None,
    answered: float | None = None,
    paused: float | None = None,
) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "seq": seq,
        "number": f"T{seq:06d}",
        "title": "Press stops",
        "description": "",
        "category": "incident",
        "priority": "P2",
        "status": status,
        "organization_id": None,
        "creator_id": uuid.uuid4(),
        "contact_id": uuid.uuid4(),
        "guide_answers": [],
        "cancelled": status == "cancelled",
        "channel": "portal",
        "first_response_at": None if answered is None else _at(answered),
        "sla_due_at": None if reaction is None else _at(reaction),
        "resolution_due_at": None if resolution is None else _at(resolution),
        "sla_paused_at": None if paused is None else _at(paused),
        "created_at": OPENED,
        "updated_at": OPENED,
    }


# seq -> (the ticket as it stood, the next due time the upgrade must give it)
CASES: dict[int, tuple[dict[str, Any], datetime | None]] = {
    # Unanswered: the reaction's due time, the earlier one.
    1: (_ticket(1, "new", reaction=9, resolution=36), _at(9)),
    # A priority change can bring the resolution before the reaction: the earlier counts.
    2: (_ticket(2, "open", reaction=9, resolution=4), _at(4)),
    # Answered: the reaction no longer counts, however early it was.
    3: (_ticket(3, "open", reaction=2, resolution=36, answered=1), _at(36)),
    # Waiting for the customer: the due times as they stood at the pause.
    4: (_ticket(4, "waiting_customer", reaction=9, resolution=36, paused=3), _at(9)),
    # Done: nothing is due.
    5: (_ticket(5, "resolved", reaction=9, resolution=36), None),
    6: (_ticket(6, "closed", reaction=9, resolution=36, answered=1), None),
    7: (_ticket(7, "cancelled", reaction=9, resolution=None), None),
    # Without a resolution target (no calendar when the clocks came): the reaction while
    # unanswered, after every due ticket once answered.
    8: (_ticket(8, "open", reaction=9, resolution=None), _at(9)),
    9: (_ticket(9, "open", reaction=9, resolution=None, answered=1), NO_DUE),
}


def _lightweight(rows: list[dict[str, Any]]) -> Any:
    """The ticket table as it stood then: the model's later columns are not there yet."""
    return table("ticket", *(column(n, Ticket.__table__.c[n].type) for n in rows[0]))


def _as_model(row: dict[str, Any]) -> Ticket:
    return Ticket(**{**row, "status": Status(row["status"])})


async def _migrate_and_check(url: str) -> None:
    versions = Path(migrations.__file__).parent / "versions"
    cfg = alembic_config(versions=versions, metadata=Base.metadata, url=url)
    await upgrade(cfg, BEFORE)
    engine = create_engine(url)
    rows = [row for row, _ in CASES.values()]
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(_lightweight(rows)), rows)
        await upgrade(cfg)
        async with engine.connect() as conn:
            found = dict((await conn.execute(select(Ticket.seq, Ticket.next_due_at))).all())
        for seq, (row, expected) in CASES.items():
            assert found[seq] == expected, seq
            assert found[seq] == _as_model(row).next_due(), seq  # the model's own rule
        await downgrade(cfg, BEFORE)
        async with engine.connect() as conn:
            columns = await conn.run_sync(lambda c: inspect(c).get_columns("ticket"))
        assert "next_due_at" not in {c["name"] for c in columns}
    finally:
        await engine.dispose()


async def test_next_due_time_filled_in_by_the_rule_on_sqlite(tmp_path: Path) -> None:
    await _migrate_and_check(f"sqlite+aiosqlite:///{tmp_path / 'tickets.db'}")


@pytest.mark.integration
async def test_next_due_time_filled_in_by_the_rule_on_postgres(pg_url: str) -> None:
    await _migrate_and_check(pg_url)
