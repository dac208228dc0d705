"""The token-secured file exchange: links for people without an account."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from files_harness import pdf, png
from portal_harness import Portal
from sqlalchemy import update

from portal_files.exchange.models import Share
from portal_files.exchange.service import PASSWORD_TRIES_PER_ADDRESS

pytestmark = pytest.mark.integration


async def _share(world: Portal, **body) -> dict:
    r = await world.client.post(
        "/api/v1/exchanges",
        json={"name": "Logs for the hotline", **body},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    return r.json()


async def test_anyone_with_the_link_uploads_and_downloads(world: Portal) -> None:
    share = await _share(world)
    assert share["url"].endswith(f"/x/{share['token']}") and len(share["token"]) >= 43
    link = f"/api/v1/exchanges/{share['token']}"
    data = png(50_000)
    up = await world.client.put(f"{link}/files/trace.png", content=data)
    assert up.status_code == 201, up.text
    view = await world.client.get(link)
    assert [f["name"] for f in view.json()["files"]] == ["trace.png"]
    down = await world.client.get(f"{link}/files/{up.json()['id']}")
    assert down.status_code == 200 and down.content == data
    detail = await world.client.get(
        f"/api/v1/exchanges/shares/{share['id']}", headers=await world.as_("ben")
    )
    assert [e["action"] for e in detail.json()["log"]][::-1] == ["upload", "view", "download"]


async def test_wrong_link_is_404_and_the_token_is_never_stored(world: Portal) -> None:
    share = await _share(world)
    assert (await world.client.get("/api/v1/exchanges/" + "A" * 43)).status_code == 404
    listed = await world.client.get("/api/v1/exchanges", headers=await world.as_("ben"))
    assert share["token"] not in listed.text


async def test_password_is_required_and_wrong_guesses_are_throttled(world: Portal) -> None:
    share = await _share(world, password="open sesame")
    link = f"/api/v1/exchanges/{share['token']}"
    assert (await world.client.get(link)).status_code == 401
    ok = await world.client.get(link, headers={"X-Share-Password": "open sesame"})
    assert ok.status_code == 200
    for _ in range(5):
        r = await world.client.get(link, headers={"X-Share-Password": "guess"})
        assert r.status_code == 401
    blocked = await world.client.get(link, headers={"X-Share-Password": "open sesame"})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


async def test_expired_or_revoked_link_is_410(world: Portal) -> None:
    expired, revoked = await _share(world), await _share(world)
    async with world.files.session_factory() as s:
        await s.execute(
            update(Share)
            .where(Share.id == expired["id"])
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
        await s.commit()
    await world.client.delete(
        f"/api/v1/exchanges/shares/{revoked['id']}", headers=await world.as_("ben")
    )
    for share in (expired, revoked):
        r = await world.client.get(f"/api/v1/exchanges/{share['token']}")
        assert r.status_code == 410
        assert r.headers["content-type"] == "application/problem+json"


async def test_download_limit_and_upload_permission(world: Portal) -> None:
    share = await _share(world, download_limit=1, allow_upload=False)
    up = await world.client.put(f"/api/v1/exchanges/{share['token']}/files/a.png", content=png())
    assert up.status_code == 404
    owner = await world.client.post(
        f"/api/v1/exchanges/shares/{share['id']}/files",
        files={"file": ("manual.pdf", pdf(100), "application/pdf")},
        headers=await world.as_("ben"),
    )
    assert owner.status_code == 201
    link = f"/api/v1/exchanges/{share['token']}/files/{owner.json()['id']}"
    public = (await world.client.get(f"/api/v1/exchanges/{share['token']}")).json()
    assert public["downloads_left"] == 1 and public["downloads_exhausted"] is False
    assert (await world.client.get(link)).status_code == 200
    assert (await world.client.get(link)).status_code == 410
    # The pages decide from data whether download links still work.
    public = (await world.client.get(f"/api/v1/exchanges/{share['token']}")).json()
    assert public["downloads_left"] == 0 and public["downloads_exhausted"] is True
    mine = await world.client.get("/api/v1/exchanges", headers=await world.as_("ben"))
    read = next(s for s in mine.json()["items"] if s["id"] == share["id"])
    assert read["downloads_left"] == 0 and read["downloads_exhausted"] is True


async def test_zip_is_allowed_in_exchanges_but_not_programs(world: Portal) -> None:
    share = await _share(world)
    link = f"/api/v1/exchanges/{share['token']}/files"
    archive = await world.client.put(f"{link}/logs.zip", content=b"PK\x05\x06" + b"\x00" * 18)
    program = await world.client.put(f"{link}/setup.zip", content=b"MZ" + b"\x00" * 100)
    assert archive.status_code == 201 and archive.json()["content_type"] == "application/zip"
    assert program.status_code == 415


async def test_only_the_owner_sees_the_share_details(world: Portal) -> None:
    share = await _share(world)
    for user in ("anna", "carla", "erik"):
        r = await world.client.get(
            f"/api/v1/exchanges/shares/{share['id']}", headers=await world.as_(user)
        )
        assert r.status_code == 404


async def test_parallel_guesses_through_the_api_are_throttled(world: Portal) -> None:
    share = await _share(world, password="open sesame")
    link = f"/api/v1/exchanges/{share['token']}"
    answers = await asyncio.gather(
        *(world.client.get(link, headers={"X-Share-Password": "guess"}) for _ in range(40))
    )
    statuses = Counter(r.status_code for r in answers)
    per_address = PASSWORD_TRIES_PER_ADDRESS.count
    assert statuses == {401: per_address, 429: 40 - per_address}
    throttled = next(r for r in answers if r.status_code == 429)
    assert throttled.headers["content-type"] == "application/problem+json"
    assert int(throttled.headers["Retry-After"]) > 0
