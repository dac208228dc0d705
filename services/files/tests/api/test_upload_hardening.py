"""Uploads that try to break the service: malformed multipart bodies, names with control
and bidirectional characters, images that decode to far more than they weigh, and
programs behind a PDF's first line. Each gets a 4xx problem (or a neutral name), never a
500, and leaves nothing behind."""

from __future__ import annotations

import asyncio
import io
import struct
import threading
import time
import uuid
import zlib
from urllib.parse import quote

import pytest
from files_harness import pdf, png, upload
from PIL import Image
from portal_harness import Portal
from sqlalchemy import func, select

from portal_files.attachments import tasks
from portal_files.attachments.models import StoredFile
from portal_files.upload.images import MAX_FRAMES

pytestmark = pytest.mark.integration

BOUNDARY = "XyZ"


async def _state(world: Portal) -> tuple[int, list[str]]:
    """Rows and objects, to show a refused upload left neither."""
    async with world.files.session_factory() as s:
        rows = await s.scalar(select(func.count()).select_from(StoredFile))
    return rows, await world.files.state["store"].keys()


def _part(headers: bytes, body: bytes = b"data") -> bytes:
    return b"--XyZ\r\n" + headers + b"\r\n\r\n" + body + b"\r\n--XyZ--\r\n"


@pytest.mark.parametrize(
    ("content_type", "body"),
    [
        (f"multipart/form-data; boundary={BOUNDARY}", _part(b"Garbage")),
        (f"multipart/form-data; boundary={BOUNDARY}", _part(b"Content-Disposition form-data")),
        (f"multipart/form-data; boundary={BOUNDARY}", _part(b"\x00\x01\x02: x")),
        (f"multipart/form-data; boundary={BOUNDARY}", _part(b"X-A: b\r\n" * 30)),
        (f"multipart/form-data; boundary={BOUNDARY}", _part(b"X: " + b"y" * 9000)),
        (f"multipart/form-data; boundary={BOUNDARY}", b"no multipart at all"),
        ("multipart/form-data; boundary=" + "b" * 300, _part(b"X: y")),
        ('multipart/form-data; boundary="XyZ', _part(b"X: y")),
    ],
    ids=[
        "header-without-colon",
        "disposition-without-colon",
        "garbage-bytes",
        "too-many-headers",
        "header-too-long",
        "no-parts",
        "boundary-too-long",
        "broken-quoting",
    ],
)
async def test_malformed_multipart_is_a_400_problem(
    world: Portal, content_type: str, body: bytes
) -> None:
    before = await _state(world)
    r = await world.client.post(
        "/api/v1/files",
        content=body,
        headers={**await world.as_("ben"), "Content-Type": content_type},
    )
    assert r.status_code == 400, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["title"] == "Malformed upload"
    assert await _state(world) == before


async def test_part_headers_without_a_name_are_no_file(world: Portal) -> None:
    body = _part(b'Content-Disposition: form-data; filename="a.png"', png())
    r = await world.client.post(
        "/api/v1/files",
        content=body,
        headers={
            **await world.as_("ben"),
            "Content-Type": f"multipart/form-data; boundary={BOUNDARY}",
        },
    )
    assert r.status_code == 422 and r.json()["detail"] == "The request has no file."


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("a\x00b.png", "ab.png"),
        ("\x00", "file"),
        ("tab\tbell\x07.png", "tabbell.png"),
        ("invoice\u202egnp.exe", "invoicegnp.exe"),
        ("\u2067x\u2069\u200f.png", "x.png"),
    ],
    ids=["nul", "only-nul", "controls", "right-to-left-override", "isolates-and-marks"],
)
async def test_exchange_names_lose_control_and_bidirectional_characters(
    world: Portal, typed: str, stored: str
) -> None:
    share = await world.client.post(
        "/api/v1/exchanges", json={"name": "Logs"}, headers=await world.as_("ben")
    )
    link = f"/api/v1/exchanges/{share.json()['token']}/files"
    up = await world.client.put(f"{link}/{quote(typed, safe='')}", content=png())
    assert up.status_code == 201, up.text
    assert up.json()["name"] == stored
    down = await world.client.get(f"{link}/{up.json()['id']}")
    assert down.status_code == 200
    assert f"filename*=UTF-8''{quote(stored)}" in down.headers["content-disposition"]


async def test_attachment_names_lose_bidirectional_characters_in_both_names(
    world: Portal,
) -> None:
    r = await upload(world, "ben", "Rechnung\u202egnp.exe", png())
    assert r.status_code == 201
    assert (r.json()["name"], r.json()["original_name"]) == ("Rechnunggnp.exe",) * 2


def _big_png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    limit, Image.MAX_IMAGE_PIXELS = Image.MAX_IMAGE_PIXELS, None
    try:
        Image.new("1", (width, height)).save(buffer, format="PNG")
    finally:
        Image.MAX_IMAGE_PIXELS = limit
    return buffer.getvalue()


def _padded(image: bytes, pad: int) -> bytes:
    """`image` (a PNG) with `pad` bytes of text before its pixels: the header is then no
    longer within the first megabyte that uploads read it from."""
    chunk = b"tEXt" + b"pad\x00" + b"x" * pad
    text = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk))
    ihdr_end = 8 + 25
    return image[:ihdr_end] + text + image[ihdr_end:]


async def test_a_decompression_bomb_is_refused_before_it_is_stored(world: Portal) -> None:
    bomb = _big_png(10_000, 10_000)  # about 100 KB for 100 megapixels
    assert len(bomb) < 400_000
    before = await _state(world)
    r = await upload(world, "ben", "bomb.png", bomb)
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert "megapixels" in r.json()["detail"]
    frames = [Image.new("RGB", (2, 2), (i % 2 * 255, 0, 0)) for i in range(MAX_FRAMES + 1)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    animation = await upload(world, "ben", "many.gif", buffer.getvalue())
    assert animation.status_code == 422 and "frames" in animation.json()["detail"]
    broken = await upload(world, "ben", "broken.png", b"\x89PNG\r\n\x1a\n" + bytes(200))
    assert broken.status_code == 415
    assert await _state(world) == before


async def test_a_bomb_whose_header_hides_far_in_never_gets_decoded(world: Portal) -> None:
    hidden = _padded(_big_png(10_000, 10_000), 1_200_000)
    r = await upload(world, "ben", "hidden.png", hidden)
    assert r.status_code == 201, r.text  # the header is beyond what an upload reads ...
    await world.files.tasks.drain()
    async with world.files.session_factory() as s:
        row = await s.get(StoredFile, uuid.UUID(r.json()["id"]))
    assert row is not None and row.thumbnail_key is None  # ... the thumbnail task reads it
    fine = await upload(world, "ben", "fine.png", _padded(_big_png(800, 600), 1_200_000))
    await world.files.tasks.drain()
    thumb = await world.client.get(
        f"/api/v1/files/{fine.json()['id']}/thumbnail", headers=await world.as_("ben")
    )
    assert thumb.status_code == 200


async def test_thumbnails_are_made_a_few_at_a_time(
    world: Portal, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy, most = 0, 0
    lock = threading.Lock()
    real = tasks._thumbnail

    def counted(data: bytes, content_type: str) -> bytes | None:
        nonlocal busy, most
        with lock:
            busy += 1
            most = max(most, busy)
        time.sleep(0.1)  # decoding takes a while: the others must wait, not pile up
        try:
            return real(data, content_type)
        finally:
            with lock:
                busy -= 1

    monkeypatch.setattr(tasks, "_thumbnail", counted)
    ids = [(await upload(world, "ben", f"{i}.png", png())).json()["id"] for i in range(6)]
    await world.files.tasks.drain()
    await asyncio.gather(*(tasks.make_thumbnail.fn(world.files, file_id=i) for i in ids))
    assert 1 <= most <= tasks.THUMBNAILS_AT_ONCE


@pytest.mark.parametrize(
    "program",
    [b"\x7fELF\x02\x01\x01\x00" + bytes(4000), b"MZ\x90\x00\x03\x00" + bytes(4000)],
    ids=["elf", "windows"],
)
async def test_a_program_behind_a_pdf_line_is_no_pdf(world: Portal, program: bytes) -> None:
    before = await _state(world)
    r = await upload(world, "ben", "invoice.pdf", b"%PDF-1.4\n" + program, "application/pdf")
    assert r.status_code == 415
    assert r.json()["detail"] == "The file is not a PDF document."
    assert await _state(world) == before
    assert (
        await upload(world, "ben", "real.pdf", pdf(20_000), "application/pdf")
    ).status_code == 201
