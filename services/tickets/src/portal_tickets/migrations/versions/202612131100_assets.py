"""Assets (the customer's installed base); a ticket's free-text asset becomes an asset

Revision ID: 202612131100
Revises: 202612131000
Create Date: 2026-12-13 11:00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from portal_chassis.db import UTCDateTime

revision: str = "202612131100"
down_revision: str | None = "202612131000"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

STATUS = sa.Enum("active", "inactive", "retired", name="assetstatus", native_enum=False, length=32)

ticket = sa.table(
    "ticket",
    sa.column("organization_id", sa.Uuid()),
    sa.column("asset_id", sa.String(100)),
)
asset = sa.table(
    "asset",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("name", sa.String(200)),
    sa.column("serial_number", sa.String(100)),
    sa.column("status", sa.String(32)),
    sa.column("attributes", sa.JSON()),
    sa.column("search_text", sa.Text()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


def upgrade() -> None:
    op.create_table(
        "asset",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=True),
        sa.Column("serial_number", sa.String(length=100), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=True),
        sa.Column("installed_on", sa.Date(), nullable=True),
        sa.Column("contract_id", sa.Uuid(), nullable=True),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_asset")),
        sa.UniqueConstraint(
            "organization_id", "serial_number", name=op.f("uq_asset_organization_id")
        ),
    )
    op.create_index("ix_asset_name", "asset", ["name", "id"])
    op.create_index("ix_asset_org_name", "asset", ["organization_id", "name", "id"])
    carry_over_free_text_assets(op.get_bind())
    op.create_index("ix_ticket_asset_created", "ticket", ["asset_id", "created_at", "seq"])


def downgrade() -> None:
    op.drop_index("ix_ticket_asset_created", table_name="ticket")
    bind = op.get_bind()
    serials = bind.execute(sa.select(asset.c.id, asset.c.serial_number)).all()
    _rewrite(bind, {(None, str(i)): str(serial) for i, serial in serials}, by_organization=False)
    op.drop_index("ix_asset_org_name", table_name="asset")
    op.drop_index("ix_asset_name", table_name="asset")
    op.drop_table("asset")


def carry_over_free_text_assets(bind: sa.Connection) -> int:
    """Make each distinct free-text asset of a ticket (per organization) an asset of that
    organization, named and numbered by the text, and point the tickets at it by id.
    Texts differing only in surrounding blanks become one asset; blank ones go. The
    number of assets made."""
    bind.execute(ticket.update().where(sa.func.trim(ticket.c.asset_id) == "").values(asset_id=None))
    found = bind.execute(
        sa.select(ticket.c.organization_id, ticket.c.asset_id)
        .where(ticket.c.asset_id.is_not(None))
        .distinct()
    ).all()
    pairs = [(_uuid(org), str(text)) for org, text in found]
    made: dict[tuple[uuid.UUID | None, str], uuid.UUID] = {}
    for organization_id, text in pairs:
        made.setdefault((organization_id, text.strip()), uuid.uuid4())
    now = datetime.now(UTC)
    rows: list[dict[str, Any]] = [
        {
            "id": new_id,
            "organization_id": organization_id,
            "name": serial[:200],
            "serial_number": serial,
            "status": "active",
            "attributes": {},
            # As `assets.models.search_text` writes it: name, serial, product, location.
            "search_text": "\n".join((serial.casefold(), serial.casefold(), "", "")),
            "created_at": now,
            "updated_at": now,
        }
        for (organization_id, serial), new_id in made.items()
    ]
    if rows:
        bind.execute(asset.insert(), rows)
    _rewrite(
        bind,
        {(org, text): str(made[(org, text.strip())]) for org, text in pairs},
        by_organization=True,
    )
    return len(rows)


def _uuid(value: object) -> uuid.UUID | None:
    return value if isinstance(value, uuid.UUID) or value is None else uuid.UUID(str(value))


def _rewrite(
    bind: sa.Connection, new: dict[tuple[uuid.UUID | None, str], str], *, by_organization: bool
) -> None:
    """Set each ticket's asset text to `new[(organization, text)]` in one UPDATE, through
    a scratch table (the same statement on PostgreSQL and SQLite, a single pass over
    the tickets however many assets there are)."""
    if not new:
        return
    scratch = sa.Table(
        "asset_rewrite",
        sa.MetaData(),
        sa.Column("organization_id", sa.Uuid(), nullable=True),
        sa.Column("old", sa.String(100), nullable=False),
        sa.Column("new", sa.String(100), nullable=False),
        sa.Index("ix_asset_rewrite_old", "old"),
    )
    scratch.create(bind)
    bind.execute(
        scratch.insert(),
        [{"organization_id": org, "old": old, "new": value} for (org, old), value in new.items()],
    )
    match = [scratch.c.old == ticket.c.asset_id]
    if by_organization:
        match.append(
            sa.or_(
                scratch.c.organization_id == ticket.c.organization_id,
                sa.and_(scratch.c.organization_id.is_(None), ticket.c.organization_id.is_(None)),
            )
        )
    replacement = sa.select(scratch.c.new).where(*match).limit(1).scalar_subquery()
    bind.execute(ticket.update().where(ticket.c.asset_id.is_not(None)).values(asset_id=replacement))
    scratch.drop(bind)
