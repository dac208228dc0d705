"""Test harness: the real services composed in one process (as in the all-in-one mode),
on PostgreSQL or SQLite, so tokens, events and read models flow as in production."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from portal_chassis.revocation import RevocationList
from portal_tickets.contracts.rules import parse_weekly
from portal_tickets.sla.calendar import BusinessCalendar

ADMIN_PASSWORD = "bootstrap-admin-secret-1"
PASSWORD = "correct-horse-battery-9"


class Portal:
    def __init__(self, app: Any, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client
        platform = app.state.gateway["platform"]
        self.bus = platform.bus
        self.runtimes = {name: app.state.portal for name, app in platform.embedded.items()}
        self.identity = self.runtimes["identity"]
        self.tickets = self.runtimes["tickets"]
        self.files = self.runtimes["files"]
        self.faq = self.runtimes["faq"]
        self.notify = self.runtimes["notify"]
        # Every token verifier's list of ended sign-ins: the gateway's, then each service's.
        self.revocation_lists: dict[str, RevocationList] = {
            "gateway": app.state.gateway["verifier"].revocations
        } | {name: runtime.revocations for name, runtime in self.runtimes.items()}
        self._tokens: dict[str, dict[str, str]] = {}
        self.orgs: dict[str, str] = {}
        self.ids: dict[str, str] = {}

    async def settle(self) -> None:
        """Wait until every committed event has been published and consumed, and so on
        for the events their consumers committed in turn (a contract's change reaches
        identity, whose organization change reaches tickets back)."""
        while True:
            for _ in range(500):
                if not await self._unpublished():
                    break
                for runtime in self.runtimes.values():
                    runtime.relay.wake()
                await asyncio.sleep(0.01)
            await self.bus.join()
            for runtime in self.runtimes.values():
                await runtime.tasks.drain()  # background work the events started (mails)
            if not await self._unpublished():
                return

    async def _unpublished(self) -> int:
        pending = 0
        for runtime in self.runtimes.values():
            outbox = runtime.module.tables.outbox
            async with runtime.session_factory() as s:
                pending += (
                    await s.scalar(
                        select(func.count())
                        .select_from(outbox)
                        .where(outbox.c.published_at.is_(None))
                    )
                    or 0
                )
        return pending

    @asynccontextmanager
    async def holding(self, service: str, consumer: str) -> AsyncIterator[list[str]]:
        """Hold every delivery to one consumer of `service` until the block ends, as a slow
        broker would (deterministic, on either bus). Yields the types of the events held."""
        dispatcher = self.runtimes[service].dispatcher
        index = next(i for i, c in enumerate(dispatcher.consumers) if c.name == consumer)
        original = dispatcher.consumers[index]
        release = asyncio.Event()
        held: list[str] = []

        async def hold(event: Any, uow: Any, *more: Any) -> None:
            held.append(event.type)
            await release.wait()
            await original.handler(event, uow, *more)

        dispatcher.consumers[index] = dataclasses.replace(original, handler=hold)
        try:
            yield held
        finally:
            release.set()
            dispatcher.consumers[index] = original

    async def as_(self, username: str, password: str | None = None) -> dict[str, str]:
        if password is None:
            password = ADMIN_PASSWORD if username == "admin" else PASSWORD
        if username not in self._tokens:
            r = await self.client.post(
                "/api/v1/auth/login", json={"username": username, "password": password}
            )
            assert r.status_code == 200, r.text
            self._tokens[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        return self._tokens[username]

    async def admin(self) -> dict[str, str]:
        return await self.as_("admin")

    async def organization(self, name: str, **fields: Any) -> str:
        r = await self.client.post(
            "/api/v1/admin/organizations", json={"name": name, **fields}, headers=await self.admin()
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def user(self, username: str, roles: list[str], organization_id: str | None) -> str:
        r = await self.client.post(
            "/api/v1/admin/users",
            json={
                "username": username,
                "email": f"{username}@example.com",
                "roles": roles,
                "organization_id": organization_id,
                "password": PASSWORD,
                "display_name": username.capitalize(),
            },
            headers=await self.admin(),
        )
        assert r.status_code == 201, r.text
        return r.json()["id"]

    async def ticket(self, username: str, **body: Any) -> dict[str, Any]:
        r = await self.client.post(
            "/api/v1/tickets",
            json={"title": "Printer jams", **body},
            headers=await self.as_(username),
        )
        assert r.status_code == 201, r.text
        return r.json()

    async def contract(self, organization_id: str, name: str) -> dict[str, Any]:
        """A contract in force since yesterday, priorities selectable, counted in the
        default business calendar (targets: P1 2 h, P2 6 h, P3 16 h, P4 40 h to react;
        four times as long to resolve)."""
        admin = await self.admin()
        calendars = await self.client.get("/api/v1/business-calendars", headers=admin)
        assert calendars.status_code == 200, calendars.text
        default = next(c for c in calendars.json()["items"] if c["is_default"])
        targets = {
            p: {"reaction_hours": h, "resolution_hours": 4 * h}
            for p, h in (("P1", 2), ("P2", 6), ("P3", 16), ("P4", 40))
        }
        r = await self.client.post(
            "/api/v1/contracts",
            json={
                "organization_id": organization_id,
                "name": name,
                "valid_from": (date.today() - timedelta(days=1)).isoformat(),
                "priorities_selectable": True,
                "calendar_id": default["id"],
                "targets": targets,
            },
            headers=admin,
        )
        assert r.status_code == 201, r.text
        return r.json()

    async def reaction_due(
        self, username: str, organization_id: str, created: datetime, priority: str
    ) -> datetime:
        """The reaction due time the terms in force (as the API tells them) give a
        ticket of `priority` opened at `created`."""
        r = await self.client.get(
            "/api/v1/contracts/in-force",
            params={"organization_id": organization_id},
            headers=await self.as_(username),
        )
        assert r.status_code == 200, r.text
        terms = r.json()
        found = terms["calendar"]
        calendar = BusinessCalendar(
            timezone=found["time_zone"],
            weekly=parse_weekly(found["weekly"]),
            holidays=frozenset(date.fromisoformat(d) for d in found["holidays"]),
        )
        hours = terms["targets"][priority]["reaction_hours"]
        return calendar.add(created, timedelta(hours=hours))

    async def events(self, event_type: str, service: str = "tickets") -> list[dict[str, Any]]:
        runtime = self.runtimes[service]
        outbox = runtime.module.tables.outbox
        async with runtime.session_factory() as s:
            rows = await s.scalars(
                select(outbox.c.payload).where(outbox.c.type == event_type).order_by(outbox.c.seq)
            )
            return [json.loads(p) for p in rows]
