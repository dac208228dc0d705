"""The SLA clock of each ticket: its contract and calendar, a resolution target, pauses

Every ticket gets the contract in force for its organization when it was opened (a
ticket older than the organization's first contract, that contract; else
the default calendar and the default targets), a resolution due time counted like the
reaction's, and room for the pause while the desk waits for the customer. Tickets waiting
for the customer now start their pause at this migration.

Revision ID: 202612131200
Revises: 202612131100
Create Date: 2026-12-13 12:00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime
from portal_tickets.contracts import rules
from portal_tickets.sla.calendar import BusinessCalendar

revision: str = "202612131200"
down_revision: str | None = "202612131100"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

ticket = sa.table(
    "ticket",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("priority", sa.String(32)),
    sa.column("status", sa.String(32)),
    sa.column("created_at", UTCDateTime()),
    sa.column("contract_id", sa.Uuid()),
    sa.column("sla_calendar_id", sa.Uuid()),
    sa.column("resolution_due_at", UTCDateTime()),
    sa.column("sla_paused_at", UTCDateTime()),
)
contract = sa.table(
    "contract",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("valid_from", sa.Date()),
    sa.column("valid_until", sa.Date()),
    sa.column("calendar_id", sa.Uuid()),
    sa.column("targets", sa.JSON()),
)
calendar = sa.table(
    "business_calendar",
    sa.column("id", sa.Uuid()),
    sa.column("time_zone", sa.String(64)),
    sa.column("weekly", sa.JSON()),
    sa.column("holidays", sa.JSON()),
    sa.column("is_default", sa.Boolean()),
)


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("contract_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("sla_calendar_id", sa.Uuid(), nullable=True))
        batch.add_column(sa.Column("resolution_due_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("resolution_breached_at", UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("sla_paused_at", UTCDateTime(), nullable=True))
        batch.add_column(
            sa.Column("sla_paused_seconds", sa.Float(), nullable=False, server_default="0")
        )
    op.create_index(
        "ix_ticket_resolution_pending",
        "ticket",
        ["resolution_due_at"],
        postgresql_where=sa.text("resolution_breached_at IS NULL"),
        sqlite_where=sa.text("resolution_breached_at IS NULL"),
    )
    _start_clocks(op.get_bind())


def _start_clocks(bind: sa.Connection) -> None:
    calendars = {row.id: row for row in bind.execute(sa.select(calendar))}
    default = next((row for row in calendars.values() if row.is_default), None)
    contracts: dict[uuid.UUID, list[Any]] = {}
    for row in bind.execute(sa.select(contract).order_by(contract.c.valid_from.desc())):
        contracts.setdefault(row.organization_id, []).append(row)
    business: dict[uuid.UUID, BusinessCalendar] = {}
    now = datetime.now(UTC)
    after: uuid.UUID | None = None
    while True:
        query = sa.select(ticket).order_by(ticket.c.id).limit(BATCH)
        if after is not None:
            query = query.where(ticket.c.id > after)
        rows = bind.execute(query).all()
        for row in rows:
            terms = _terms(row, contracts, calendars, default)
            if terms is None:
                continue
            chosen, cal, hours = terms
            if cal.id not in business:
                business[cal.id] = _business(cal)
            due = business[cal.id].add(row.created_at, timedelta(hours=hours))
            bind.execute(
                ticket.update()
                .where(ticket.c.id == row.id)
                .values(
                    contract_id=chosen,
                    sla_calendar_id=cal.id,
                    resolution_due_at=due,
                    sla_paused_at=now if row.status == "waiting_customer" else None,
                )
            )
        if len(rows) < BATCH:
            return
        after = rows[-1].id


def _terms(
    row: Any, contracts: dict[uuid.UUID, list[Any]], calendars: dict[uuid.UUID, Any], default: Any
) -> tuple[uuid.UUID | None, Any, float] | None:
    """The contract (if any), calendar and resolution hours for one ticket. A ticket
    opened before its organization's first contract began counts under that contract:
    the contracts made from the settings start on the day they were migrated, but their
    terms applied before."""
    opened: date = row.created_at.date()
    known = contracts.get(row.organization_id, [])  # latest start first
    chosen = next((c for c in known if rules.valid_on(c.valid_from, c.valid_until, opened)), None)
    if chosen is None and known and opened < known[-1].valid_from:
        chosen = known[-1]
    if chosen is not None:
        cal = calendars[chosen.calendar_id]
        return chosen.id, cal, rules.hours_for(chosen.targets, row.priority).resolution_hours
    if default is None:
        return None
    hours = rules.default_targets(rules.day_hours(rules.parse_weekly(default.weekly)))
    return None, default, hours[row.priority].resolution_hours


def _business(row: Any) -> BusinessCalendar:
    return BusinessCalendar(
        timezone=row.time_zone,
        weekly=rules.parse_weekly(row.weekly),
        holidays=frozenset(date.fromisoformat(d) for d in row.holidays),
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_resolution_pending", table_name="ticket")
    with op.batch_alter_table("ticket") as batch:
        for column in (
            "sla_paused_seconds",
            "sla_paused_at",
            "resolution_breached_at",
            "resolution_due_at",
            "sla_calendar_id",
            "contract_id",
        ):
            batch.drop_column(column)
