"""Case files and attachments follow the ticket's visibility: staff see every ticket, its
creator and contact see it, and colleagues see it only while their organization has
organization-wide visibility (Globex has not; Acme has). Everyone else gets the same 404
as for a ticket or a file that does not exist."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from files_harness import png, upload
from portal_harness import Portal
from sqlalchemy import delete

from portal_chassis.envelope import Envelope
from portal_files.directory.models import KnownOrganization

pytestmark = pytest.mark.integration

MISSING_TICKET = "T999999"


async def _ticket(world: Portal, user: str, **body: Any) -> str:
    number = (await world.ticket(user, **body))["number"]
    await world.settle()  # the files service learns about the ticket from its event
    return number


async def _case_file(world: Portal, number: str, user: str) -> tuple[str, str]:
    """A folder with one image in it; (folder id, file id)."""
    base = f"/api/v1/tickets/{number}/folders"
    headers = await world.as_(user)
    folder = await world.client.post(base, json={"name": "Logs"}, headers=headers)
    assert folder.status_code == 201, folder.text
    up = await world.client.post(
        f"{base}/{folder.json()['id']}/files",
        files={"file": ("trace.png", png(100), "image/png")},
        headers=headers,
    )
    assert up.status_code == 201, up.text
    return folder.json()["id"], up.json()["id"]


def _problem(r: httpx.Response, number: str | None = None) -> dict[str, Any]:
    """A 404's problem without what names the request (its path and id, the number
    asked for)."""
    assert r.status_code == 404, r.text
    assert r.headers["content-type"] == "application/problem+json"
    body = {k: v for k, v in r.json().items() if k not in ("instance", "request_id")}
    if number is not None:
        body["detail"] = body["detail"].replace(number, "<number>")
    return body


async def _file_routes(world: Portal, file_id: str, user: str) -> list[httpx.Response]:
    headers = await world.as_(user)
    base = f"/api/v1/files/{file_id}"
    return [
        await world.client.get(base, headers=headers),
        await world.client.get(f"{base}/content", headers=headers),
        await world.client.get(f"{base}/content", headers={**headers, "Range": "bytes=0-9"}),
        await world.client.get(f"{base}/thumbnail", headers=headers),
        await world.client.get(f"{base}/link", headers=headers),
    ]


async def _readable(world: Portal, file_id: str, user: str) -> bool:
    r = await world.client.get(f"/api/v1/files/{file_id}/content", headers=await world.as_(user))
    assert r.status_code in (200, 404), r.text
    return r.status_code == 200


async def test_colleague_without_org_wide_visibility_gets_404_on_every_case_file_route(
    world: Portal,
) -> None:
    number = await _ticket(world, "carla")
    folder_id, file_id = await _case_file(world, number, "carla")
    base = f"/api/v1/tickets/{number}/folders"
    dan = await world.as_("dan")
    missing = _problem(
        await world.client.get(f"/api/v1/tickets/{MISSING_TICKET}/folders", headers=dan),
        MISSING_TICKET,
    )
    calls = [
        ("GET", base, None),
        ("POST", base, {"name": "mine"}),
        ("PATCH", f"{base}/{folder_id}", {"name": "renamed"}),
        ("PATCH", f"{base}/{folder_id}", {"to_top": True}),
        ("DELETE", f"{base}/{folder_id}", None),
    ]
    for method, path, body in calls:
        r = await world.client.request(method, path, json=body, headers=dan)
        assert _problem(r, number) == missing, (method, path)
    up = await world.client.post(
        f"{base}/{folder_id}/files", files={"file": ("x.png", png(), "image/png")}, headers=dan
    )
    assert _problem(up, number) == missing
    no_file = _problem(await world.client.get(f"/api/v1/files/{uuid.uuid4()}", headers=dan))
    for r in await _file_routes(world, file_id, "dan"):
        assert _problem(r) == no_file, r.request.url
    # The ticket's creator and the service desk still see and change everything.
    for user in ("carla", "erik"):
        tree = await world.client.get(base, headers=await world.as_(user))
        assert [f["id"] for f in tree.json()["folders"][0]["files"]] == [file_id]
        statuses = [r.status_code for r in await _file_routes(world, file_id, user)]
        assert statuses[:3] == [200, 200, 206]
    assert (
        await world.client.delete(f"{base}/{folder_id}", headers=await world.as_("carla"))
    ).status_code == 204


async def test_the_contact_sees_the_case_files_and_an_outsider_does_not(world: Portal) -> None:
    await world.user("gina", ["customer"], world.orgs["globex"])
    number = await _ticket(world, "carla", contact_id=world.ids["dan"])
    base = f"/api/v1/tickets/{number}/folders"
    # The contact works with the case files like the creator ...
    _, file_id = await _case_file(world, number, "dan")
    assert await _readable(world, file_id, "carla")
    assert (await world.client.get(base, headers=await world.as_("carla"))).status_code == 200
    # ... a colleague on neither side does not even learn the ticket exists.
    assert (await world.client.get(base, headers=await world.as_("gina"))).status_code == 404
    assert not await _readable(world, file_id, "gina")


async def test_organization_wide_visibility_follows_identity(world: Portal) -> None:
    number = await _ticket(world, "carla")
    _, file_id = await _case_file(world, number, "carla")
    base = f"/api/v1/tickets/{number}/folders"
    admin = await world.admin()

    async def visibility(value: bool) -> None:
        r = await world.client.patch(
            f"/api/v1/admin/organizations/{world.orgs['globex']}",
            json={"org_wide_visibility": value},
            headers=admin,
        )
        assert r.status_code == 200, r.text
        await world.settle()

    await visibility(True)
    assert (await world.client.get(base, headers=await world.as_("dan"))).status_code == 200
    assert await _readable(world, file_id, "dan")
    await visibility(False)
    assert (await world.client.get(base, headers=await world.as_("dan"))).status_code == 404
    assert not await _readable(world, file_id, "dan")


async def test_an_organization_the_files_service_has_not_heard_of_is_org_wide(
    world: Portal,
) -> None:
    """As in the tickets service: until identity's event arrives, the default holds, so
    a new organization's tickets are usable at once."""
    async with world.files.session_factory() as s:
        await s.execute(delete(KnownOrganization))
        await s.commit()
    number = await _ticket(world, "ben")
    folder = await world.client.post(
        f"/api/v1/tickets/{number}/folders", json={"name": "x"}, headers=await world.as_("anna")
    )
    assert folder.status_code == 201, folder.text


async def test_a_changed_contact_reaches_the_case_files(world: Portal) -> None:
    number = await _ticket(world, "carla")
    base = f"/api/v1/tickets/{number}/folders"
    [created] = [
        e for e in await world.events("tickets.ticket.created") if e["data"]["number"] == number
    ]

    async def updated(contact: str, at: datetime) -> None:
        data = {**created["data"], "contact_id": world.ids[contact], "changes": {}}
        await world.files.dispatcher(
            Envelope(type="tickets.ticket.updated", producer="tickets", occurred_at=at, data=data)
        )

    assert (await world.client.get(base, headers=await world.as_("dan"))).status_code == 404
    now = datetime.now(UTC)
    await updated("dan", now)
    assert (await world.client.get(base, headers=await world.as_("dan"))).status_code == 200
    # An older event that arrives late does not undo the newer state.
    await updated("carla", now - timedelta(minutes=1))
    assert (await world.client.get(base, headers=await world.as_("dan"))).status_code == 200


async def test_an_upload_on_no_ticket_stays_with_its_uploader(world: Portal) -> None:
    file_id = (await upload(world, "ben", "draft.png", png())).json()["id"]
    await world.settle()
    assert await _readable(world, file_id, "ben") and await _readable(world, file_id, "erik")
    # Not even a colleague with organization-wide visibility: it is on no ticket yet.
    assert not await _readable(world, file_id, "anna")
    assert not await _readable(world, file_id, "carla")


async def test_attachments_are_read_by_whoever_sees_their_ticket(world: Portal) -> None:
    acme_file = (await upload(world, "ben", "acme.png", png())).json()["id"]
    globex_file = (await upload(world, "carla", "globex.png", png())).json()["id"]
    await world.settle()  # tickets learns about the files
    await _ticket(world, "ben", attachment_ids=[acme_file])
    globex = await _ticket(world, "carla", attachment_ids=[globex_file])
    assert await _readable(world, acme_file, "anna")  # Acme: organization-wide
    assert not await _readable(world, acme_file, "carla")
    assert await _readable(world, globex_file, "carla")
    await world.files.tasks.drain()  # the thumbnail
    carla = await world.as_("carla")
    thumbnail = f"/api/v1/files/{globex_file}/thumbnail"
    assert (await world.client.get(thumbnail, headers=carla)).status_code == 200
    for r in await _file_routes(world, globex_file, "dan"):
        assert r.status_code == 404, r.request.url

    # The service desk's files: a public answer's go to whoever sees the ticket, an
    # internal note's stay with the staff.
    public = (await upload(world, "erik", "fix.png", png())).json()["id"]
    internal = (await upload(world, "erik", "notes.png", png())).json()["id"]
    await world.settle()
    erik = await world.as_("erik")
    for file_id, is_internal in ((public, False), (internal, True)):
        r = await world.client.post(
            f"/api/v1/tickets/{globex}/articles",
            json={"body": "See attached.", "attachment_ids": [file_id], "internal": is_internal},
            headers=erik,
        )
        assert r.status_code == 201, r.text
    await world.settle()
    assert await _readable(world, public, "carla")
    assert not await _readable(world, internal, "carla")
    assert not await _readable(world, public, "dan")
