"""Test helpers for the files service: valid images and PDFs of any size, and uploads."""

from __future__ import annotations

import struct
import zlib

import httpx
from portal_harness import Portal


def png(extra: int = 0) -> bytes:
    """A valid 1x1 PNG, padded with an ancillary chunk to any size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
    pad = chunk(b"tEXt", b"pad\x00" + b"x" * extra) if extra else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + header
        + pad
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


def pdf(extra: int = 0) -> bytes:
    """A minimal PDF (one empty page), padded with a comment to any size."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, obj)
    body += b"%" + b"x" * extra + b"\n" if extra else b""
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    return body + b"startxref\n%d\n%%%%EOF\n" % xref


async def upload(
    world: Portal, user: str, name: str, data: bytes, declared: str = "image/png"
) -> httpx.Response:
    return await world.client.post(
        "/api/v1/files", files={"file": (name, data, declared)}, headers=await world.as_(user)
    )
