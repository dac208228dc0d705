"""A ticket in its organization's internal review is the organization's alone: the
service desk gets the same 404 for its attachments and case files as for a ticket that
does not exist, until the hand-over event arrives. The organization's reviewers see them
even where colleagues do not (Globex has no organization-wide visibility)."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from files_harness import png, upload
from portal_harness import PASSWORD, Portal

from portal_chassis.envelope import Envelope

pytestmark = pytest.mark.integration


async def _reviewer(world: Portal, username: str, org: str) -> None:
    """A customer of `org` with the `review` permission (their tokens name it)."""
    r = await world.client.post(
        "/api/v1/admin/users",
        json={
            "username": username,
            "email": f"{username}@example.com",
            "roles": ["customer"],
            "permissions": ["review"],
            "organization_id": world.orgs[org],
            "password": PASSWORD,
            "display_name": username.capitalize(),
        },
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    world.ids[username] = r.json()["id"]


class Ticket:
    """A Globex ticket as the tickets service announces it, opened by Carla in review."""

    def __init__(self, world: Portal, file_ids: list[str]) -> None:
        self.world = world
        self.number = f"T9{random.randrange(10**6):06d}"
        self.facts: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "number": self.number,
            "title": "VPN drops every hour",
            "category": "incident",
            "priority": "P3",
            "status": "new",
            "portal_status": "in_progress",
            "organization_id": world.orgs["globex"],
            "creator_id": world.ids["carla"],
            "contact_id": world.ids["carla"],
            "assignee_id": None,
            "review": "internal",
            "actor_id": world.ids["carla"],
        }
        self.file_ids = file_ids

    async def event(self, event_type: str, at: datetime, **changes: Any) -> None:
        self.facts.update(changes)
        data = {**self.facts, "occurred_at": at.isoformat()}
        if event_type == "tickets.ticket.created":
            data["file_ids"] = self.file_ids
        await self.world.files.dispatcher(
            Envelope(type=event_type, producer="tickets", occurred_at=at, data=data)
        )


async def _case_file(world: Portal, number: str, user: str) -> str:
    base = f"/api/v1/tickets/{number}/folders"
    headers = await world.as_(user)
    folder = await world.client.post(base, json={"name": "Logs"}, headers=headers)
    assert folder.status_code == 201, folder.text
    up = await world.client.post(
        f"{base}/{folder.json()['id']}/files",
        files={"file": ("trace.png", png(50), "image/png")},
        headers=headers,
    )
    assert up.status_code == 201, up.text
    return str(up.json()["id"])


def _problem(r: httpx.Response) -> dict[str, Any]:
    """A 404's problem without what names the request."""
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    return {k: v for k, v in r.json().items() if k not in ("instance", "request_id", "detail")}


async def _answers(world: Portal, user: str, number: str, files: list[str]) -> list[int]:
    """The status of the case files' tree, of a new folder, and of each file's metadata
    and content."""
    headers = await world.as_(user)
    tree = f"/api/v1/tickets/{number}/folders"
    found = [(await world.client.get(tree, headers=headers)).status_code]
    for file_id in files:
        for path in (f"/api/v1/files/{file_id}", f"/api/v1/files/{file_id}/content"):
            found.append((await world.client.get(path, headers=headers)).status_code)
    return found


async def _nothing_for(world: Portal, user: str, number: str, files: list[str]) -> None:
    """`user` learns nothing: every answer is the 404 of something that does not exist."""
    headers = await world.as_(user)
    missing = _problem(await world.client.get(f"/api/v1/files/{uuid.uuid4()}", headers=headers))
    no_ticket = _problem(
        await world.client.get("/api/v1/tickets/T0000000/folders", headers=headers)
    )
    tree = f"/api/v1/tickets/{number}/folders"
    assert _problem(await world.client.get(tree, headers=headers)) == no_ticket
    r = await world.client.post(tree, json={"name": "mine"}, headers=headers)
    assert _problem(r) == no_ticket
    for file_id in files:
        for path in (f"/api/v1/files/{file_id}", f"/api/v1/files/{file_id}/content"):
            assert _problem(await world.client.get(path, headers=headers)) == missing, path


async def _tree_files(world: Portal, user: str, number: str) -> list[str]:
    r = await world.client.get(f"/api/v1/tickets/{number}/folders", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [f["id"] for folder in r.json()["folders"] for f in folder["files"]]


async def test_the_service_desk_gets_the_files_of_a_ticket_in_review_only_once_handed_over(
    world: Portal,
) -> None:
    await _reviewer(world, "rita", "globex")
    await world.settle()
    attachment = (await upload(world, "carla", "screen.png", png())).json()["id"]
    ticket = Ticket(world, [attachment])
    opened = datetime.now(UTC) - timedelta(minutes=5)
    await ticket.event("tickets.ticket.created", opened)
    case_file = await _case_file(world, ticket.number, "carla")
    files = [attachment, case_file]

    # Its creator and the organization's reviewer work with it; the service desk and a
    # colleague (no organization-wide visibility) get nothing.
    assert await _answers(world, "carla", ticket.number, files) == [200] * 5
    assert await _answers(world, "rita", ticket.number, files) == [200] * 5
    assert await _tree_files(world, "rita", ticket.number) == [case_file]
    await _nothing_for(world, "erik", ticket.number, files)
    await _nothing_for(world, "dan", ticket.number, files)

    # Sent to the requester and back, it stays in review: still nothing for the desk.
    await ticket.event(
        "tickets.ticket.updated",
        opened + timedelta(minutes=1),
        review="requester",
        changes={"review": ["internal", "requester"]},
    )
    await _nothing_for(world, "erik", ticket.number, files)
    assert await _answers(world, "rita", ticket.number, files) == [200] * 5

    # The hand-over: from now on the service desk sees it, the colleague still does not.
    await ticket.event(
        "tickets.ticket.handed_over",
        opened + timedelta(minutes=2),
        review=None,
        actor_id=world.ids["rita"],
    )
    assert await _answers(world, "erik", ticket.number, files) == [200] * 5
    assert await _tree_files(world, "erik", ticket.number) == [case_file]
    await _nothing_for(world, "dan", ticket.number, files)
    assert await _answers(world, "rita", ticket.number, files) == [200] * 5

    # An older event of the review that arrives late does not hide it again.
    await ticket.event("tickets.ticket.updated", opened, review="internal", changes={})
    assert await _answers(world, "erik", ticket.number, files) == [200] * 5


async def test_a_reviewer_sees_only_their_own_organizations_tickets(world: Portal) -> None:
    await _reviewer(world, "rolf", "acme")
    await world.settle()
    attachment = (await upload(world, "carla", "screen.png", png())).json()["id"]
    ticket = Ticket(world, [attachment])
    await ticket.event("tickets.ticket.created", datetime.now(UTC))
    case_file = await _case_file(world, ticket.number, "carla")
    await _nothing_for(world, "rolf", ticket.number, [attachment, case_file])
