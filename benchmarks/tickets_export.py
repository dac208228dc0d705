"""Excel export speed: seconds to download a list of 10,000 tickets as .xlsx.

Runs the real identity and tickets services in one process on PostgreSQL (like the
all-in-one mode), seeds the tickets straight into the tickets database, then downloads
`GET /api/v1/tickets/export.xlsx` as an agent. Prints one JSON summary.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from openpyxl import load_workbook
from sqlalchemy import insert, update

from portal_chassis.settings import PortalSettings
from portal_chassis.testing.plugin import PostgresDatabases
from portal_ops.allinone import create_allinone_app
from portal_tickets.ticket.models import Ticket, TicketCounter

PG = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)
PASSWORD = "benchmark-admin-secret-1"


async def main(count: int) -> None:
    dbs = PostgresDatabases(PG)
    urls = {name: await dbs.create(name) for name in ("identity", "tickets")}
    try:
        with tempfile.TemporaryDirectory() as data_dir:
            app = create_allinone_app(
                portal=PortalSettings(
                    data_dir=Path(data_dir), bootstrap_admin_password=PASSWORD, log_level="WARNING"
                ),
                database_urls=urls,
            )
            async with app.router.lifespan_context(app):
                runtime = app.state.gateway["platform"].embedded["tickets"].state.portal
                seeded = await seed(runtime, count)
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(
                    transport=transport, base_url="http://portal", timeout=120
                ) as client:
                    token = (
                        await client.post(
                            "/api/v1/auth/login", json={"username": "admin", "password": PASSWORD}
                        )
                    ).json()["access_token"]
                    start = time.perf_counter()
                    r = await client.get(
                        "/api/v1/tickets/export.xlsx",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    elapsed = time.perf_counter() - start
                    r.raise_for_status()
                    sheet = load_workbook(io.BytesIO(r.content), read_only=True).active
                    rows = sum(1 for _ in sheet.iter_rows(values_only=True))
    finally:
        await dbs.drop_all()
    print(
        json.dumps(
            {
                "benchmark": "tickets_export_xlsx",
                "tickets": seeded,
                "rows_in_workbook": rows - 1,
                "seconds": round(elapsed, 2),
                "bytes": len(r.content),
                "target_seconds": 5.0,
            },
            indent=2,
        )
    )


async def seed(runtime, count: int) -> int:
    now = datetime.now(UTC)
    org, person = uuid.uuid4(), uuid.uuid4()
    rows = [
        {
            "id": uuid.uuid4(),
            "seq": i,
            "number": f"T{i:06d}",
            "title": f"Printer {i % 97} in hall {i % 7} does not print",
            "description": "Paper jam after the update.\nSecond line.",
            "category": "incident",
            "priority": f"P{i % 4 + 1}",
            "status": "open",
            "organization_id": org,
            "creator_id": person,
            "contact_id": person,
            "guide_answers": [],
            "cancelled": False,
            "created_at": now - timedelta(minutes=i),
            "updated_at": now - timedelta(minutes=i),
        }
        for i in range(1, count + 1)
    ]
    async with runtime.session_factory() as session:
        for start in range(0, count, 2000):
            await session.execute(insert(Ticket), rows[start : start + 2000])
        await session.execute(update(TicketCounter).values(value=count))
        await session.commit()
    return count


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=10_000)
    asyncio.run(main(parser.parse_args().tickets))
