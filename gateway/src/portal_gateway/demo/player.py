"""Plays the demo story through the portal's own public API, as the demo users.

Everything goes through the same requests a browser or script would send, so the
services apply their rules (visibility, priorities without contract, file checks),
publish their events and build their read models; notify makes the notifications from
those events. Nothing is written into a service's tables from outside.

Idempotent: a ticket whose creator already has one with its title is left alone, and so
is a share whose owner has one of that name; a second start plays nothing.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from portal_chassis.demo import DemoTimeline
from portal_gateway.demo.samples import SAMPLES
from portal_gateway.demo.story import (
    SHARES,
    TICKETS,
    Assign,
    CaseFolder,
    Close,
    Escalate,
    Rate,
    Reply,
    ShareStory,
    Status,
    Step,
    TicketStory,
)

DEMO_PASSWORD = "portal-demo-2026"
DEMO_ADMIN_PASSWORD = "admin-demo-2026"  # unless PORTAL_BOOTSTRAP_ADMIN_PASSWORD says otherwise
# How long to wait for another service to hear of something (an event's way through
# the bus takes milliseconds in one process; this is the bound, not the expectation).
ARRIVAL_SECONDS = 20.0


class DemoError(RuntimeError):
    pass


class Player:
    def __init__(
        self, client: httpx.AsyncClient, timeline: DemoTimeline, admin_password: str
    ) -> None:
        self.client = client
        self.timeline = timeline
        self.admin_password = admin_password
        self.started = datetime.now(UTC)
        self.auth: dict[str, dict[str, str]] = {}
        self.me: dict[str, dict[str, Any]] = {}

    # --- plumbing ------------------------------------------------------------------

    async def sign_in(self, username: str) -> dict[str, str]:
        if username not in self.auth:
            password = self.admin_password if username == "admin" else DEMO_PASSWORD
            r = await self.client.post(
                "/api/v1/auth/login", json={"username": username, "password": password}
            )
            _expect(r, 200, f"sign in as {username}")
            self.auth[username] = {"Authorization": f"Bearer {r.json()['access_token']}"}
            me = await self.client.get("/api/v1/me", headers=self.auth[username])
            self.me[username] = _expect(me, 200, "profile")
        return self.auth[username]

    async def call(
        self, username: str, method: str, path: str, *, ok: int = 200, **kwargs: Any
    ) -> Any:
        headers = await self.sign_in(username)
        r = await self.client.request(method, path, headers=headers, **kwargs)
        return _expect(r, ok, f"{method} {path} as {username}")

    async def eventually(
        self, username: str, method: str, path: str, *, ok: int = 200, **kwargs: Any
    ) -> Any:
        """The same request until the service has heard of what it refers to (a new
        ticket, a new user): 404 and 422 mean "not yet" for a while."""
        headers = await self.sign_in(username)
        deadline = time.monotonic() + ARRIVAL_SECONDS
        while True:
            r = await self.client.request(method, path, headers=headers, **kwargs)
            if r.status_code not in (404, 422) or time.monotonic() > deadline:
                return _expect(r, ok, f"{method} {path} as {username}")
            await asyncio.sleep(0.05)

    async def until(self, what: str, check: Callable[[], Awaitable[bool]]) -> None:
        deadline = time.monotonic() + ARRIVAL_SECONDS
        while not await check():
            if time.monotonic() > deadline:
                raise DemoError(f"demo story: timed out waiting for {what}")
            await asyncio.sleep(0.05)

    def mark(self, before: timedelta) -> None:
        self.timeline.mark(self.started - before)

    async def upload(self, username: str, sample: str) -> str:
        file = SAMPLES[sample]
        body = await self.call(
            username,
            "POST",
            "/api/v1/files",
            ok=201,
            files={"file": (file.name, file.content, file.content_type)},
        )
        return str(body["id"])

    # --- the story -----------------------------------------------------------------

    async def directory_ready(self) -> None:
        """Tickets knows the demo customers (from identity's events) before any ticket:
        else an organization's priority contract would not be known yet."""
        for customer, colleague in (("ben", "anna"), ("carla", "dan")):

            async def knows(customer: str = customer, colleague: str = colleague) -> bool:
                found = await self.call(customer, "GET", "/api/v1/ticket-contacts")
                return colleague in {c["username"] for c in found["items"]}

            await self.until(f"the tickets service to know {colleague}", knows)

    async def titles(self, username: str) -> set[str]:
        titles: set[str] = set()
        cursor: str | None = None
        while True:
            params: dict[str, str | int] = {"scope": "mine", "state": "all", "limit": 100}
            if cursor:
                params["cursor"] = cursor
            page = await self.call(username, "GET", "/api/v1/tickets", params=params)
            titles |= {t["title"] for t in page["items"]}
            cursor = page.get("next_cursor")
            if not cursor:
                return titles

    async def installed(self, story: TicketStory) -> None:
        """The asset a ticket of the story names, in its creator's organization (assets
        are the administrators' to keep)."""
        if story.asset_id is None:
            return
        await self.sign_in(story.creator)
        org = self.me[story.creator]["organization"]["id"]
        found = await self.call("admin", "GET", "/api/v1/assets", params={"q": story.asset_id})
        if any(a["serial_number"] == story.asset_id for a in found["items"]):
            return
        asset = {
            "organization_id": org,
            "name": story.product or story.asset_id,
            "serial_number": story.asset_id,
            "product": story.product,
        }
        await self.call("admin", "POST", "/api/v1/assets", ok=201, json=asset)

    async def open_ticket(self, story: TicketStory) -> str:
        await self.installed(story)
        self.mark(story.at)
        opened = (self.started - story.at).date().isoformat()
        templates = await self.call(story.creator, "GET", "/api/v1/ticket-templates")
        template_id = next(
            (t["id"] for t in templates["items"] if t["name"] == story.template), None
        )
        if story.template and template_id is None:
            raise DemoError(f"demo story: no template {story.template!r}")
        body: dict[str, Any] = {
            "title": story.title,
            "description": story.description,
            "category": story.category,
            "priority": story.priority,
            "subject_area": story.subject_area,
            "subtype": story.subtype,
            "product": story.product,
            "asset_id": story.asset_id,
            "attachment_ids": [await self.upload(story.creator, s) for s in story.files],
        }
        if template_id is not None:
            body["template_id"] = template_id
            body["guide_answers"] = {
                k: v.replace("{opened}", opened) if isinstance(v, str) else v
                for k, v in story.guide.items()
            }
        ticket = await self.eventually(story.creator, "POST", "/api/v1/tickets", ok=201, json=body)
        return str(ticket["number"])

    async def step(self, number: str, step: Step) -> None:
        self.mark(step.at)
        base = f"/api/v1/tickets/{number}"
        match step:
            case Reply():
                ids = [await self.upload(step.actor, s) for s in step.files]
                payload = {"body": step.body, "attachment_ids": ids, "internal": step.internal}
                await self.eventually(step.actor, "POST", f"{base}/articles", ok=201, json=payload)
            case Status():
                await self.call(step.actor, "PATCH", base, json={"status": step.status})
            case Assign():
                await self.sign_in(step.actor)
                me = {"assignee_id": self.me[step.actor]["id"]}
                await self.eventually(step.actor, "PATCH", base, json=me)
            case Escalate():
                await self.call(
                    step.actor, "POST", f"{base}/escalate", ok=201, json={"body": step.body}
                )
            case Close():
                action = "cancel" if step.cancel else "close"
                await self.call(step.actor, "POST", f"{base}/{action}")
            case Rate():
                answer = {"rating": step.rating, "comment": step.comment}
                await self.call(step.actor, "PUT", f"{base}/survey", json=answer)
            case CaseFolder():
                # Files hears of the ticket by its event: the first try may come early.
                folder = await self.eventually(
                    step.actor, "POST", f"{base}/folders", ok=201, json={"name": step.folder}
                )
                for sample in step.files:
                    file = SAMPLES[sample]
                    await self.call(
                        step.actor,
                        "POST",
                        f"{base}/folders/{folder['id']}/files",
                        ok=201,
                        files={"file": (file.name, file.content, file.content_type)},
                    )

    async def share(self, story: ShareStory) -> bool:
        existing = await self.call(story.owner, "GET", "/api/v1/exchanges")
        if story.name in {s["name"] for s in existing["items"]}:
            return False
        created = await self.call(
            story.owner,
            "POST",
            "/api/v1/exchanges",
            ok=201,
            json={"name": story.name, "expires_in_days": story.expires_in_days},
        )
        for sample in story.uploads:
            file = SAMPLES[sample]
            # Through the share link itself, as the person without an account would.
            r = await self.client.put(
                f"/api/v1/exchanges/{created['token']}/files/{file.name}",
                content=file.content,
                headers={"Content-Type": file.content_type},
            )
            _expect(r, 201, "upload to the share")
        return True

    async def read_notifications(self, username: str, numbers: set[str]) -> None:
        page = await self.call(username, "GET", "/api/v1/notifications", params={"limit": 100})
        for item in page["items"]:
            if item["ticket_number"] in numbers and not item["read"]:
                await self.call(username, "POST", f"/api/v1/notifications/{item['id']}/read")

    async def notified(self, username: str, number: str) -> bool:
        page = await self.call(username, "GET", "/api/v1/notifications", params={"limit": 100})
        return any(item["ticket_number"] == number for item in page["items"])

    async def play(self) -> list[str]:
        await self.directory_ready()
        known = {u: await self.titles(u) for u in {s.creator for s in TICKETS}}
        opened: list[tuple[TicketStory, str]] = []
        for story in TICKETS:
            if story.title in known[story.creator]:
                continue
            number = await self.open_ticket(story)
            opened.append((story, number))
            for step in story.steps:
                await self.step(number, step)
        shares = [s for s in SHARES if await self.share(s)]
        self.timeline.end()
        if opened:
            # Notify works through its queue in order: once the desk has heard of the
            # last ticket, every notification of the story is there to be read.
            last = opened[-1][1]
            await self.until("the last notification", lambda: self.notified("erik", last))
            readers: dict[str, set[str]] = {}
            for story, number in opened:
                for reader in (*story.read_by, "erik"):
                    # The desk has read what is older than the last couple of days.
                    if reader != "erik" or story.at > timedelta(days=4):
                        readers.setdefault(reader, set()).add(number)
            for reader, numbers in readers.items():
                await self.read_notifications(reader, numbers)
        return [
            f"demo story: {len(opened)} tickets, {len(shares)} file shares "
            f"({len(TICKETS) - len(opened)} tickets there already)"
        ]


def _expect(response: httpx.Response, status: int, what: str) -> Any:
    if response.status_code != status:
        raise DemoError(f"demo story: {what} answered {response.status_code}: {response.text}")
    return response.json() if response.content else None


async def play(app: FastAPI) -> tuple[list[str], DemoTimeline]:
    """Play the story against the portal app (all-in-one, before it takes requests)."""
    timeline = DemoTimeline()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://portal") as client:
        settings = app.state.gateway["settings"]
        admin = settings.portal.bootstrap_admin_password or DEMO_ADMIN_PASSWORD
        lines = await Player(client, timeline, admin).play()
    return lines, timeline
