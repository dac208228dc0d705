"""The files service on a real S3 server through the MinIO SDK (Swift with s3api where
no Docker engine runs; testcontainers MinIO where one does). The store itself, without
the service, is tested in ../integration/test_s3_store.py."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from files_harness import png, upload
from portal_harness import Portal

from portal_files.storage.s3 import S3BlobStore

pytestmark = pytest.mark.integration


@pytest.fixture
async def s3_world(s3_endpoint: str, world: Portal) -> Portal:
    """The shared world, which keeps its files on the S3 server whenever one is set."""
    assert isinstance(world.files.state["store"], S3BlobStore)
    return world


async def _objects(world: Portal) -> list[str]:
    return await world.files.state["store"].keys()


async def test_round_trip_through_s3_keeps_every_byte(s3_world: Portal) -> None:
    data = png(7 * 1024 * 1024)  # more than one multipart part
    r = await upload(s3_world, "ben", "big.png", data)
    assert r.status_code == 201, r.text
    assert r.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert await _objects(s3_world) == [f"files/{r.json()['id']}"]
    got = await s3_world.client.get(
        f"/api/v1/files/{r.json()['id']}/content", headers=await s3_world.as_("ben")
    )
    assert (
        got.status_code == 200
        and hashlib.sha256(got.content).digest() == hashlib.sha256(data).digest()
    )
    part = await s3_world.client.get(
        f"/api/v1/files/{r.json()['id']}/content",
        headers={**await s3_world.as_("ben"), "Range": "bytes=5242870-5242899"},
    )
    assert part.status_code == 206 and part.content == data[5242870:5242900]


async def test_refused_uploads_leave_no_object_in_the_bucket(s3_world: Portal) -> None:
    too_big = await upload(s3_world, "ben", "huge.png", png(11 * 1024 * 1024))
    wrong = await upload(s3_world, "ben", "x.pdf", b"MZ" + b"\x00" * 10_000)
    assert (too_big.status_code, wrong.status_code) == (413, 415)
    assert await _objects(s3_world) == []


async def test_presigned_links_download_straight_from_s3_until_they_expire(
    s3_world: Portal,
) -> None:
    data = png(1024)
    stored = (await upload(s3_world, "ben", "plan.png", data)).json()
    r = await s3_world.client.get(
        f"/api/v1/files/{stored['id']}/link", headers=await s3_world.as_("ben")
    )
    assert r.status_code == 200, r.text
    link = r.json()
    async with httpx.AsyncClient() as direct:
        fetched = await direct.get(link["url"])
        assert fetched.status_code == 200 and fetched.content == data
        assert "attachment" in fetched.headers["content-disposition"]
        # The signature covers the object: another key with the same query is refused.
        forged = await direct.get(link["url"].replace(stored["id"], "0" * 32, 1))
        assert forged.status_code in (403, 404)
        # Whoever may not read the file (another organization; a colleague, while the
        # upload is on no ticket) gets no link at all.
        for user in ("carla", "anna"):
            other = await s3_world.client.get(
                f"/api/v1/files/{stored['id']}/link", headers=await s3_world.as_(user)
            )
            assert other.status_code == 404
        # A link lives as long as it was asked for, and the server itself enforces that.
        # Signed at a moment in the past, not waited for: the signature's date is in
        # whole seconds, so a link of 1 s made now may have anything from 0 to 1 s left.
        store = s3_world.files.state["store"]
        row_key = next(k for k in await _objects(s3_world) if not k.endswith(".jpg"))
        short = await store.presigned_get(row_key, expires=timedelta(seconds=7), headers={})
        assert parse_qs(urlsplit(short).query)["X-Amz-Expires"] == ["7"]
        assert (await direct.get(short)).status_code == 200
        signed_earlier = store.client.presigned_get_object(
            store.bucket,
            row_key,
            expires=timedelta(seconds=7),
            request_date=datetime.now(UTC) - timedelta(seconds=10),
        )
        expired = await direct.get(signed_earlier)
        assert expired.status_code == 403 and b"expired" in expired.content.lower()
