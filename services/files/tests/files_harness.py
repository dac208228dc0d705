"""Test helpers for the files service: valid images of any size, and uploads."""

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


async def upload(
    world: Portal, user: str, name: str, data: bytes, declared: str = "image/png"
) -> httpx.Response:
    return await world.client.post(
        "/api/v1/files", files={"file": (name, data, declared)}, headers=await world.as_(user)
    )
