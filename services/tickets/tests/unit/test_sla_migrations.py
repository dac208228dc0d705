"""Upgrading a database from the settings-file service levels: the settings' calendar
becomes the default calendar, each organization whose SLA contract the settings name gets
that contract with the settings' reaction targets, and every ticket gets its clock (the
contract, the calendar, a resolution due time; tickets waiting for the customer paused)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import column, insert, select, table

from portal_chassis.db import create_engine
from portal_chassis.migrations import alembic_config, downgrade, upgrade
from portal_tickets import migrations
from portal_tickets.base import Base
from portal_tickets.contracts.models import Calendar, Contract
from portal_tickets.contracts.rules import parse_weekly
from portal_tickets.directory.models import KnownOrganization
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.ticket.models import Ticket

BEFORE = "202612121000"  # service levels in the settings only
ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()
OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # a Tuesday, before any contract began


def _org(org_id: uuid.UUID, name: str, contract: str | None) -> dict[str, Any]:
    return {
        "id": org_id,
        "name": name,
        "priority_contract": contract is not None,
        "org_wide_visibility": True,
        "sla_contract": contract,
        "active": True,
        "as_of": OPENED,
    }


def _ticket(seq: int, organization_id: uuid.UUID, priority: str, status: str) -> dict[str, Any]:
    return {
        "id": uuid.uuid4(),
        "seq": seq,
        "number": f"T{seq:06d}",
        "title": "Press stops",
        "description": "",
        "category": "incident",
        "priority": priority,
        "status": status,
        "organization_id": organization_id,
        "creator_id": uuid.uuid4(),
        "contact_id": uuid.uuid4(),
        "guide_answers": [],
        "cancelled": False,
        "channel": "portal",
        "created_at": OPENED,
        "updated_at": OPENED,
    }


ORGS = [_org(ACME, "Acme", "Premium"), _org(GLOBEX, "Globex", "Gold")]  # Gold: unknown
TICKETS = [
    _ticket(1, ACME, "P2", "open"),
    _ticket(2, ACME, "P1", "waiting_customer"),
    _ticket(3, GLOBEX, "P3", "new"),
]


def _lightweight(model: type[Base], rows: list[dict[str, Any]]) -> Any:
    """The table as it stood then: the model's later columns are not there yet."""
    return table(model.__tablename__, *(column(n, model.__table__.c[n].type) for n in rows[0]))


async def _migrate_and_check(url: str) -> None:
    versions = Path(migrations.__file__).parent / "versions"
    cfg = alembic_config(versions=versions, metadata=Base.metadata, url=url)
    await upgrade(cfg, BEFORE)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(insert(_lightweight(KnownOrganization, ORGS)), ORGS)
            await conn.execute(insert(_lightweight(Ticket, TICKETS)), TICKETS)
        await upgrade(cfg)
        async with engine.connect() as conn:
            calendars = (await conn.execute(select(Calendar.__table__))).mappings()
            [standard] = calendars.all()
            contracts = (await conn.execute(select(Contract.__table__))).mappings().all()
            clocks = {
                row.seq: row
                for row in await conn.execute(
                    select(
                        Ticket.seq,
                        Ticket.contract_id,
                        Ticket.sla_calendar_id,
                        Ticket.resolution_due_at,
                        Ticket.sla_paused_at,
                        Ticket.sla_paused_seconds,
                    )
                )
            }
        _check_calendar_and_contracts(standard, contracts)
        _check_clocks(clocks, standard, contracts[0])
        await downgrade(cfg, BEFORE)
        async with engine.connect() as conn:
            assert (await conn.scalar(select(Ticket.title).where(Ticket.seq == 1))) == "Press stops"
    finally:
        await engine.dispose()


def _check_calendar_and_contracts(standard: Any, contracts: Any) -> None:
    assert standard["name"] == "Standard" and standard["is_default"]
    assert standard["time_zone"] == "Europe/Berlin"
    assert standard["weekly"] == {str(d): ["07:00", "16:00"] for d in range(5)}
    assert standard["holidays"] == ["2026-12-24"]
    [premium] = contracts  # Globex's "Gold" is no contract of the settings
    assert premium["organization_id"] == ACME and premium["name"] == "Premium"
    assert premium["calendar_id"] == standard["id"] and premium["priorities_selectable"]
    assert premium["targets"]["P1"] == {"reaction_hours": 2.0, "resolution_hours": 8.0}
    # Priorities the settings leave out keep the defaults (P2: one business day of 9 h).
    assert premium["targets"]["P2"] == {"reaction_hours": 9.0, "resolution_hours": 36.0}


def _check_clocks(clocks: dict[int, Any], standard: Any, premium: Any) -> None:
    business = BusinessCalendar(
        timezone=standard["time_zone"],
        weekly=parse_weekly(standard["weekly"]),
        holidays=frozenset(date.fromisoformat(d) for d in standard["holidays"]),
    )
    # Acme's tickets are older than the contract made from the settings: its terms.
    assert clocks[1].contract_id == premium["id"]
    assert clocks[1].resolution_due_at == business.add(OPENED, timedelta(hours=36))
    assert clocks[1].sla_paused_at is None and clocks[1].sla_paused_seconds == 0
    assert clocks[2].resolution_due_at == business.add(OPENED, timedelta(hours=8))
    assert clocks[2].sla_paused_at is not None  # waiting for the customer: paused now
    # Globex: no contract, the default calendar and the default P3 target (3 days x 4).
    assert clocks[3].contract_id is None and clocks[3].sla_calendar_id == standard["id"]
    assert clocks[3].resolution_due_at == business.add(OPENED, timedelta(hours=4 * 27))


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The service levels as a settings file had them."""
    monkeypatch.setenv("TICKETS_SLA_CONTRACTS", '{"Premium": {"P1": 2}}')
    monkeypatch.setenv("TICKETS_BUSINESS_OPENS", str(time(7, 0)))
    monkeypatch.setenv("TICKETS_BUSINESS_CLOSES", str(time(16, 0)))
    monkeypatch.setenv("TICKETS_BUSINESS_HOLIDAYS", '["2026-12-24"]')


async def test_settings_service_levels_become_contracts_and_clocks_on_sqlite(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        await _migrate_and_check(f"sqlite+aiosqlite:///{tmp_path / 'tickets.db'}")
    # Globex's "Gold" is no contract of the settings: said, with the organization's name.
    [unknown] = [r for r in caplog.records if "TICKETS_SLA_CONTRACTS" in r.getMessage()]
    assert unknown.levelno == logging.WARNING
    assert "Globex" in unknown.getMessage() and "'Gold'" in unknown.getMessage()


@pytest.mark.integration
async def test_settings_service_levels_become_contracts_and_clocks_on_postgres(
    pg_url: str,
) -> None:
    await _migrate_and_check(pg_url)
