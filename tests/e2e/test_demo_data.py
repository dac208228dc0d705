"""`portal dev --demo` shows a living portal: the demo story's tickets in every status,
with correspondence, attachments, a case file, a share and notifications, each demo user
seeing what their role and organization allow; a second start adds nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from portal_chassis.settings import PortalSettings
from portal_ops.allinone import create_allinone_app

ADMIN_PASSWORD = "admin-demo-2026"
PASSWORD = "portal-demo-2026"
STATUSES = {
    "new",
    "open",
    "waiting_internal",
    "waiting_customer",
    "postponed",
    "resolved",
    "closed",
    "cancelled",
}


class Demo:
    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client
        self.auth: dict[str, dict[str, str]] = {}

    async def get(self, username: str, path: str, **params: Any) -> Any:
        if username not in self.auth:
            password = ADMIN_PASSWORD if username == "admin" else PASSWORD
            r = await self.client.post(
                "/api/v1/auth/login", json={"username": username, "password": password}
            )
            assert r.status_code == 200, r.text
            self.auth[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
        r = await self.client.get(path, params=params, headers=self.auth[username])
        assert r.status_code == 200, f"{path} as {username}: {r.status_code} {r.text}"
        return r.json()

    async def status(self, username: str, path: str) -> int:
        await self.get(username, "/api/v1/me")
        return (await self.client.get(path, headers=self.auth[username])).status_code

    async def tickets(self, username: str, scope: str | None = None) -> list[dict[str, Any]]:
        params: dict[str, Any] = {"state": "all", "limit": 100}
        if scope:
            params["scope"] = scope
        return (await self.get(username, "/api/v1/tickets", **params))["items"]

    async def footprint(self) -> dict[str, int]:
        """How much there is: what a second seeding must leave unchanged."""
        tickets = await self.tickets("admin")
        articles = 0
        folders = 0
        for t in tickets:
            articles += len(await self.get("erik", f"/api/v1/tickets/{t['number']}/articles"))
            tree = await self.get("erik", f"/api/v1/tickets/{t['number']}/folders")
            folders += len(tree["folders"])
        counts = {"tickets": len(tickets), "articles": articles, "folders": folders}
        for user in ("ben", "anna", "erik"):
            page = await self.get(user, "/api/v1/notifications", limit=100)
            counts[f"notifications:{user}"] = len(page["items"])
            counts[f"exchanges:{user}"] = len((await self.get(user, "/api/v1/exchanges"))["items"])
        return counts


@asynccontextmanager
async def demo_portal(data_dir: Path) -> AsyncIterator[Demo]:
    app = create_allinone_app(
        demo=True,
        portal=PortalSettings(data_dir=data_dir, bootstrap_admin_password=ADMIN_PASSWORD),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
            yield Demo(client)


def _articles_list(body: Any) -> list[dict[str, Any]]:
    return body["items"] if isinstance(body, dict) else body


async def test_demo_shows_every_status_files_shares_and_notifications_once(
    tmp_path: Path,
) -> None:
    async with demo_portal(tmp_path) as demo:
        # The service desk sees every ticket, in every status and priority.
        every = await demo.tickets("erik")
        assert {t["status"] for t in every} == STATUSES
        assert {t["priority"] for t in every} == {"P1", "P2", "P3", "P4"}
        assert any(t["escalated_at"] for t in every)
        assert any(t["sla"]["state"] == "breached" for t in every)
        assert {t["number"] for t in await demo.tickets("admin")} == {t["number"] for t in every}
        # Opened over the past days, not all in the same second.
        created = sorted(datetime.fromisoformat(t["created_at"]) for t in every)
        assert created[-1] - created[0] > timedelta(days=7)

        # The customer: the organization's tickets, their portal status, no internal notes.
        acme = await demo.tickets("ben", scope="organization")
        assert acme and all(t["organization"]["name"] == "Acme Robotics GmbH" for t in acme)
        assert {t["portal_status"] for t in acme} == {
            "in_progress",
            "answer_expected",
            "closed",
            "postponed",
        }
        assert all(t["status"] is None for t in acme)
        # A closed ticket carries its customer's satisfaction rating, for the desk too.
        conveyor = next(t for t in acme if "CB-12" in t["title"])
        assert conveyor["survey"]["rating"] == 5
        staff_view = await demo.get("erik", f"/api/v1/tickets/{conveyor['number']}")
        assert staff_view["survey"]["rating"] == 5
        robot = next(t for t in acme if "E-217" in t["title"])
        thread = _articles_list(
            await demo.get("ben", f"/api/v1/tickets/{robot['number']}/articles")
        )
        staff_thread = _articles_list(
            await demo.get("erik", f"/api/v1/tickets/{robot['number']}/articles")
        )
        assert not any(a["internal"] for a in thread)
        assert any(a["internal"] for a in staff_thread)
        attached = [i for a in thread for i in a["attachment_ids"]]
        assert len(attached) >= 3
        names = {(await demo.get("ben", f"/api/v1/files/{i}"))["name"] for i in attached}
        assert {"rx200-zelle3-controller.log", "bedienpanel-e217.png"} <= names
        content = await demo.client.get(
            f"/api/v1/files/{attached[1]}/content", headers=demo.auth["ben"]
        )
        assert content.status_code == 200 and content.content.startswith(b"\x89PNG")
        tree = await demo.get("ben", f"/api/v1/tickets/{robot['number']}/folders")
        files = [f for folder in tree["folders"] for f in folder["files"]]
        assert any(f["content_type"] == "application/pdf" for f in files)

        # The other organization sees none of it (no org-wide visibility there either).
        globex = await demo.tickets("carla", scope="mine")
        assert globex and all(t["organization"]["name"] == "Globex Logistics AG" for t in globex)
        assert all(t["priority"] == "P4" for t in globex)  # no priority contract
        assert await demo.status("carla", f"/api/v1/tickets/{robot['number']}") == 404
        assert await demo.status("dan", f"/api/v1/tickets/{robot['number']}/folders") == 404
        assert await demo.tickets("anna", scope="mine")

        # A share with a file in it, put there through its link.
        shares = (await demo.get("ben", "/api/v1/exchanges"))["items"]
        assert shares
        share = await demo.get("ben", f"/api/v1/exchanges/shares/{shares[0]['id']}")
        assert share["files"]

        # Notifications, made by notify from the events: some unread, some read.
        for user in ("ben", "anna", "erik"):
            page = await demo.get(user, "/api/v1/notifications", limit=100)
            assert page["unread_count"] > 0, user
        ben = (await demo.get("ben", "/api/v1/notifications", limit=100))["items"]
        assert any(n["read"] for n in ben) and {n["ticket_number"] for n in ben} <= {
            t["number"] for t in acme
        }
        before = await demo.footprint()

    # A second start on the same data finds everything in place and adds nothing.
    async with demo_portal(tmp_path) as demo:
        assert await demo.footprint() == before
