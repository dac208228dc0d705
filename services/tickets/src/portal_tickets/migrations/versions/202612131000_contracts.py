"""Contracts with service levels, and business calendars

The calendar "Standard" (the default) is made from the business-hours settings; every
organization whose SLA contract is one of the settings' `sla_contracts` gets a contract
of that name, valid from today, open-ended, with the settings' reaction targets.

Revision ID: 202612131000
Revises: 202612121000
Create Date: 2026-12-13 10:00:00
"""

import logging
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime
from portal_tickets.settings import TicketsSettings

revision: str = "202612131000"
down_revision: str | None = "202612121000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)

# The default targets as of this migration (business hours; a day is the calendar's
# opening hours): reaction P1 4 h, P2 1 day, P3 3 days, P4 5 days; resolution 4x reaction.
REACTION_DAYS = {"P2": 1, "P3": 3, "P4": 5}
P1_REACTION_HOURS = 4.0
RESOLUTION_FACTOR = 4

calendars = sa.table(
    "business_calendar",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("time_zone", sa.String()),
    sa.column("weekly", sa.JSON()),
    sa.column("holidays", sa.JSON()),
    sa.column("is_default", sa.Boolean()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
contracts = sa.table(
    "contract",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("valid_from", sa.Date()),
    sa.column("valid_until", sa.Date()),
    sa.column("priorities_selectable", sa.Boolean()),
    sa.column("calendar_id", sa.Uuid()),
    sa.column("targets", sa.JSON()),
    sa.column("products", sa.JSON()),
    sa.column("asset_ids", sa.JSON()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
organizations = sa.table(
    "directory_organization",
    sa.column("id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("priority_contract", sa.Boolean()),
    sa.column("sla_contract", sa.String()),
)


def _create_tables() -> None:
    op.create_table(
        "business_calendar",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=False),
        sa.Column("weekly", sa.JSON(), nullable=False),
        sa.Column("holidays", sa.JSON(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_calendar")),
        sa.UniqueConstraint("name", name=op.f("uq_business_calendar_name")),
    )
    op.create_index(
        "uq_business_calendar_default",
        "business_calendar",
        ["is_default"],
        unique=True,
        postgresql_where=sa.text("is_default"),
        sqlite_where=sa.text("is_default"),
    )
    op.create_table(
        "contract",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("priorities_selectable", sa.Boolean(), nullable=False),
        sa.Column("calendar_id", sa.Uuid(), nullable=False),
        sa.Column("targets", sa.JSON(), nullable=False),
        sa.Column("products", sa.JSON(), nullable=False),
        sa.Column("asset_ids", sa.JSON(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["calendar_id"],
            ["business_calendar.id"],
            name=op.f("fk_contract_calendar_id_business_calendar"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
    )
    op.create_index("ix_contract_org_valid", "contract", ["organization_id", "valid_from"])


def _hhmm(value: time) -> str:
    return value.strftime("%H:%M")


def _targets(reaction: dict[str, float], day_hours: float) -> dict[str, dict[str, float]]:
    defaults = {"P1": P1_REACTION_HOURS} | {p: d * day_hours for p, d in REACTION_DAYS.items()}
    targets = {}
    for priority, default in defaults.items():
        hours = reaction.get(priority)
        hours = float(hours) if hours is not None and hours > 0 else default
        targets[priority] = {
            "reaction_hours": hours,
            "resolution_hours": RESOLUTION_FACTOR * hours,
        }
    return targets


def _seed(settings: TicketsSettings) -> None:
    now = datetime.now(UTC)
    today = now.astimezone(ZoneInfo(settings.business_timezone)).date()
    opens, closes = settings.business_opens, settings.business_closes
    day_hours = (closes.hour * 60 + closes.minute - opens.hour * 60 - opens.minute) / 60
    calendar_id = uuid.uuid4()
    stamps: dict[str, Any] = {"created_at": now, "updated_at": now}
    op.bulk_insert(
        calendars,
        [
            {
                "id": calendar_id,
                "name": "Standard",
                "time_zone": settings.business_timezone,
                "weekly": {str(d): [_hhmm(opens), _hhmm(closes)] for d in range(5)},
                "holidays": sorted({d.isoformat() for d in settings.business_holidays}),
                "is_default": True,
                **stamps,
            }
        ],
    )
    rows = (
        op.get_bind()
        .execute(
            sa.select(
                organizations.c.id,
                organizations.c.name,
                organizations.c.priority_contract,
                organizations.c.sla_contract,
            )
        )
        .all()
    )
    for org_id, org_name, _, name in rows:
        if name and name not in settings.sla_contracts:
            # Said, not silently dropped: an admin gives it a contract at /admin/contracts.
            log.warning(
                "Organization %s (%s) names the SLA contract %r, which TICKETS_SLA_CONTRACTS "
                "does not define: it gets no contract and keeps the standard terms.",
                org_name,
                org_id,
                name,
            )
    seeded = [
        {
            "id": uuid.uuid4(),
            "organization_id": org_id,
            "name": name,
            "valid_from": today,
            "valid_until": None,
            "priorities_selectable": bool(selectable),
            "calendar_id": calendar_id,
            "targets": _targets(settings.sla_contracts[name], day_hours),
            "products": [],
            "asset_ids": [],
            **stamps,
        }
        for org_id, _, selectable, name in rows
        if name in settings.sla_contracts
    ]
    if seeded:
        op.bulk_insert(contracts, seeded)


def upgrade() -> None:
    _create_tables()
    _seed(TicketsSettings())


def downgrade() -> None:
    op.drop_index("ix_contract_org_valid", table_name="contract")
    op.drop_table("contract")
    op.drop_index("uq_business_calendar_default", table_name="business_calendar")
    op.drop_table("business_calendar")
