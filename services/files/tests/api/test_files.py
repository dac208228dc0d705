"""Uploads and downloads: limits, sniffing, names, ranges, isolation, and the link to
ticket attachments (local blob store; the S3 variant is in test_s3.py)."""

from __future__ import annotations

import hashlib

import pytest
from files_harness import pdf, png, upload
from portal_harness import Portal
from sqlalchemy import func, select

from portal_files.attachments.models import StoredFile

pytestmark = pytest.mark.integration


async def _rows(world: Portal) -> int:
    async with world.files.session_factory() as s:
        return await s.scalar(select(func.count()).select_from(StoredFile))


async def _objects(world: Portal) -> list[str]:
    return await world.files.state["store"].keys("files/")


async def test_upload_stores_sniffed_type_hash_and_announces_it(world: Portal) -> None:
    data = png(1000)
    r = await upload(world, "ben", "screenshot.png", data, declared="application/x-whatever")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["content_type"] == "image/png" and body["size"] == len(data)
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    stored = await world.events("files.file.stored", service="files")
    assert stored[-1]["data"]["id"] == body["id"]
    assert stored[-1]["data"]["organization_id"] == world.orgs["acme"]


async def test_download_is_an_attachment_with_the_sniffed_type(world: Portal) -> None:
    data = png(5000)
    file_id = (await upload(world, "ben", "Übersicht März.png", data)).json()["id"]
    r = await world.client.get(f"/api/v1/files/{file_id}/content", headers=await world.as_("ben"))
    assert r.status_code == 200 and r.content == data
    assert r.headers["content-type"] == "image/png"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["content-disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%C3%9Cbersicht%20M%C3%A4rz.png" in r.headers["content-disposition"]


async def test_range_requests(world: Portal) -> None:
    data = png(3000)
    file_id = (await upload(world, "ben", "a.png", data)).json()["id"]
    ben = await world.as_("ben")
    part = await world.client.get(
        f"/api/v1/files/{file_id}/content", headers={**ben, "Range": "bytes=10-109"}
    )
    assert part.status_code == 206 and part.content == data[10:110]
    assert part.headers["content-range"] == f"bytes 10-109/{len(data)}"
    tail = await world.client.get(
        f"/api/v1/files/{file_id}/content", headers={**ben, "Range": "bytes=-16"}
    )
    assert tail.status_code == 206 and tail.content == data[-16:]
    beyond = await world.client.get(
        f"/api/v1/files/{file_id}/content", headers={**ben, "Range": f"bytes={len(data)}-"}
    )
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{len(data)}"


async def test_too_large_file_is_refused_and_leaves_nothing(world: Portal) -> None:
    before_rows, before_objects = await _rows(world), len(await _objects(world))
    r = await upload(world, "ben", "huge.png", png(10 * 1024 * 1024))
    assert r.status_code == 413
    assert r.headers["content-type"] == "application/problem+json"
    assert await _rows(world) == before_rows
    assert len(await _objects(world)) == before_objects


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500),  # a Windows program
        ("notes.txt", b"\x00\x01\x02binary\xff\xfe" * 100),
        ("empty.pdf", b""),
    ],
    ids=["exe-named-pdf", "binary-named-text", "empty"],
)
async def test_content_decides_the_type_not_the_name(world: Portal, name: str, data: bytes) -> None:
    before_rows, before_objects = await _rows(world), len(await _objects(world))
    r = await upload(world, "ben", name, data, declared="application/pdf")
    assert r.status_code == 415
    assert await _rows(world) == before_rows and len(await _objects(world)) == before_objects


async def test_text_and_pdf_are_accepted(world: Portal) -> None:
    text = await upload(world, "ben", "log.txt", "Fehler: Überlauf\n".encode() * 10, "text/plain")
    document = await upload(world, "ben", "doc.pdf", pdf(100), "application/pdf")
    assert text.json()["content_type"] == "text/plain"
    assert document.json()["content_type"] == "application/pdf"


async def test_file_names_are_cleaned_and_the_original_kept(world: Portal) -> None:
    r = await upload(world, "ben", "../../etc/passwd.png", png())
    assert r.json()["name"] == "passwd.png"
    assert r.json()["original_name"] == "../../etc/passwd.png"
    windows = await upload(world, "ben", "C:\\Users\\ben\\shot.png", png())
    assert windows.json()["name"] == "shot.png"
    long = await upload(world, "ben", "x" * 300 + ".png", png())
    assert len(long.json()["name"]) == 200 and long.json()["name"].endswith(".png")


async def test_other_organizations_get_404(world: Portal) -> None:
    file_id = (await upload(world, "ben", "a.png", png())).json()["id"]
    carla = await world.as_("carla")
    for path in (f"/api/v1/files/{file_id}", f"/api/v1/files/{file_id}/content"):
        assert (await world.client.get(path, headers=carla)).status_code == 404
        assert (await world.client.get(path, headers=await world.as_("erik"))).status_code == 200


async def test_request_without_a_file_is_a_422(world: Portal) -> None:
    ben = await world.as_("ben")
    r = await world.client.post("/api/v1/files", data={"other": "x"}, headers=ben)
    assert r.status_code == 422
    r = await world.client.post("/api/v1/files", json={"file": "x"}, headers=ben)
    assert r.status_code == 422


async def test_uploaded_file_can_be_attached_to_a_ticket_of_the_same_organization(
    world: Portal,
) -> None:
    file_id = (await upload(world, "ben", "error.png", png())).json()["id"]
    await world.settle()  # tickets learns about the file from files.file.stored
    t = await world.ticket("anna", attachment_ids=[file_id])
    articles = await world.client.get(
        f"/api/v1/tickets/{t['number']}/articles", headers=await world.as_("anna")
    )
    assert articles.json()["items"][0]["attachment_ids"] == [file_id]
    r = await world.client.post(
        "/api/v1/tickets",
        json={"title": "x", "attachment_ids": [file_id]},
        headers=await world.as_("carla"),
    )
    assert r.status_code == 422  # another organization's file is as good as missing


async def test_images_get_a_thumbnail(world: Portal) -> None:
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (800, 600), (200, 30, 30)).save(buffer, format="PNG")
    file_id = (await upload(world, "ben", "photo.png", buffer.getvalue())).json()["id"]
    await world.files.tasks.drain()  # inline in all-in-one mode, on Celery elsewhere
    r = await world.client.get(f"/api/v1/files/{file_id}/thumbnail", headers=await world.as_("ben"))
    assert r.status_code == 200 and r.headers["content-type"] == "image/jpeg"
    with Image.open(BytesIO(r.content)) as thumb:
        assert max(thumb.size) == 256
    text = (await upload(world, "ben", "a.txt", b"just text", "text/plain")).json()["id"]
    await world.files.tasks.drain()
    none = await world.client.get(f"/api/v1/files/{text}/thumbnail", headers=await world.as_("ben"))
    assert none.status_code == 404
