"""Upgrading a database whose tickets name their asset in free text: each distinct text
of an organization becomes an asset of that organization, and the tickets refer to it
by id; rolling back writes the texts back."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import column, insert, select, table

from portal_chassis.db import create_engine
from portal_chassis.migrations import alembic_config, downgrade, upgrade
from portal_tickets import migrations
from portal_tickets.assets.models import Asset
from portal_tickets.base import Base
from portal_tickets.searched import search_text
from portal_tickets.ticket.models import Ticket

BEFORE = "202612121000"  # tickets with free-text assets
ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()


def _ticket(seq: int, organization_id: uuid.UUID | None, asset: str | None) -> dict[str, Any]:
    at = datetime(2026, 12, 1, 9, seq, tzinfo=UTC)
    return {
        "id": uuid.uuid4(),
        "seq": seq,
        "number": f"T{seq:06d}",
        "title": "Press stops",
        "description": "",
        "category": "incident",
        "priority": "P4",
        "status": "new",
        "organization_id": organization_id,
        "creator_id": uuid.uuid4(),
        "contact_id": uuid.uuid4(),
        "guide_answers": [],
        "cancelled": False,
        "channel": "portal",
        "asset_id": asset,
        "created_at": at,
        "updated_at": at,
    }


TICKETS = [
    _ticket(1, ACME, "PRESS-7"),
    _ticket(2, ACME, "PRESS-7"),
    _ticket(3, ACME, " PRESS-7 "),  # the same asset, typed with blanks
    _ticket(4, GLOBEX, "PRESS-7"),  # the same text, another organization's machine
    _ticket(5, ACME, "Halle 3 Förderband"),
    _ticket(6, None, "LAB-1"),  # the vendor's own ticket
    _ticket(7, ACME, "   "),
    _ticket(8, ACME, None),
]


async def _migrate_and_check(url: str) -> None:
    versions = Path(migrations.__file__).parent / "versions"
    cfg = alembic_config(versions=versions, metadata=Base.metadata, url=url)
    await upgrade(cfg, BEFORE)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            # The table as it stood then: the model's later columns are not there yet.
            then = table("ticket", *(column(n, Ticket.__table__.c[n].type) for n in TICKETS[0]))
            await conn.execute(insert(then), TICKETS)
        await upgrade(cfg)
        async with engine.connect() as conn:
            assets = (await conn.execute(select(Asset.__table__))).mappings().all()
            linked = dict((await conn.execute(select(Ticket.seq, Ticket.asset_id))).all())
        made = {(a["organization_id"], a["serial_number"]): a for a in assets}
        assert sorted((str(o), s) for o, s in made) == sorted(
            [
                (str(ACME), "PRESS-7"),
                (str(GLOBEX), "PRESS-7"),
                (str(ACME), "Halle 3 Förderband"),
                ("None", "LAB-1"),
            ]
        )
        press = made[(ACME, "PRESS-7")]
        assert press["name"] == "PRESS-7" and press["status"] == "active"
        assert press["attributes"] == {}
        assert press["search_text"] == search_text("PRESS-7", "PRESS-7", None, None)
        assert linked[1] == linked[2] == linked[3] == str(press["id"])
        assert linked[4] == str(made[(GLOBEX, "PRESS-7")]["id"])
        assert linked[5] == str(made[(ACME, "Halle 3 Förderband")]["id"])
        assert linked[6] == str(made[(None, "LAB-1")]["id"])
        assert linked[7] is None and linked[8] is None

        await downgrade(cfg, BEFORE)
        async with engine.connect() as conn:
            texts = dict((await conn.execute(select(Ticket.seq, Ticket.asset_id))).all())
        assert texts == {
            1: "PRESS-7",
            2: "PRESS-7",
            3: "PRESS-7",
            4: "PRESS-7",
            5: "Halle 3 Förderband",
            6: "LAB-1",
            7: None,
            8: None,
        }
    finally:
        await engine.dispose()


async def test_free_text_assets_become_assets_on_sqlite(tmp_path: Path) -> None:
    await _migrate_and_check(f"sqlite+aiosqlite:///{tmp_path / 'tickets.db'}")


@pytest.mark.integration
async def test_free_text_assets_become_assets_on_postgres(pg_url: str) -> None:
    await _migrate_and_check(pg_url)
