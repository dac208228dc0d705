"""Image limits judged from the header alone, before anything is decoded (pure)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from portal_files.upload.images import (
    MAX_FRAMES,
    MAX_IMAGE_PIXELS,
    ImageHeader,
    ImageTooLarge,
    read_header,
)

# Between half the limit and the limit Pillow warns (see images.py): the service silences
# that at import, pytest shows it again.
pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")


def png_header(width: int, height: int) -> bytes:
    """The start of a PNG claiming `width` x `height` pixels (no picture data needed)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00"))


def jpeg_header(width: int, height: int) -> bytes:
    """A real 8 x 8 JPEG whose frame header is changed to claim `width` x `height`."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, format="JPEG")
    data = bytearray(buffer.getvalue())
    sof = data.index(b"\xff\xc0")
    data[sof + 5 : sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def webp_header(width: int, height: int) -> bytes:
    """The extended WebP header, which names the canvas size in its first 30 bytes."""
    canvas = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + canvas
    return b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x


def gif(frames: int) -> bytes:
    # Each frame differs from the one before: equal neighbours would be merged.
    images = [Image.new("RGB", (2, 2), (i % 2 * 255, 0, 0)) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (png_header(10_000, 10_000), "image/png"),
        (png_header(MAX_IMAGE_PIXELS // 1000 + 1, 1000), "image/png"),
        (jpeg_header(10_000, 10_000), "image/jpeg"),
        (webp_header(16_000, 16_000), "image/webp"),
    ],
    ids=["png-100-megapixels", "png-just-beyond", "jpeg", "webp"],
)
def test_too_many_pixels_are_refused_from_the_header(data: bytes, content_type: str) -> None:
    with pytest.raises(ImageTooLarge):
        read_header(data, content_type)


def test_the_limit_itself_is_allowed() -> None:
    header = read_header(png_header(MAX_IMAGE_PIXELS // 1000, 1000), "image/png")
    assert header == ImageHeader(MAX_IMAGE_PIXELS // 1000, 1000, 1)


def test_animations_are_limited_in_frames() -> None:
    assert read_header(gif(3), "image/gif") == ImageHeader(2, 2, 3)
    with pytest.raises(ImageTooLarge):
        read_header(gif(MAX_FRAMES + 1), "image/gif")


def test_what_is_no_image_or_only_its_start_has_no_header() -> None:
    assert read_header(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "image/png") is None
    assert read_header(jpeg_header(100, 100)[:10], "image/jpeg") is None


def test_pillow_refuses_the_same_images_anywhere_in_the_process() -> None:
    """Whatever opens an image (the thumbnail task too) stops at the same limit."""
    with pytest.raises(Image.DecompressionBombError):
        Image.open(io.BytesIO(png_header(MAX_IMAGE_PIXELS // 1000 + 1, 1000)))
