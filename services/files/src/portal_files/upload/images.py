"""Limits on images, judged from their header before anything decodes them.

A small file can describe a huge picture (a "decompression bomb": 400 KB of PNG for
10,000 x 10,000 pixels, 400 MB once decoded) or an animation of countless frames. Pillow
reads only the header when it opens an image (decoding waits for `load()`), so both are
known at the price of a few kilobytes.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from PIL import Image

from portal_chassis.errors import DomainError

# 40 megapixels (e.g. 7,750 x 5,160): above what phone cameras store by default, and
# about 160 MB once decoded.
MAX_IMAGE_PIXELS = 40_000_000
# Frames of an animated GIF or WebP.
MAX_FRAMES = 1000
# How much of an upload is held back to read the header from (PNG and JPEG metadata
# before the picture, WebP animations), at most.
HEADER_BYTES = 1024 * 1024

PILLOW_FORMATS = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/gif": "GIF",
    "image/webp": "WEBP",
}

# Pillow refuses images above twice MAX_IMAGE_PIXELS (DecompressionBombError) and only
# warns above it. Half our limit makes its refusal our limit wherever Pillow opens an
# image in this process, also while it reads a header alone (WebP checks its canvas
# before it reads on).
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS // 2
warnings.filterwarnings("ignore", category=Image.DecompressionBombWarning)


class ImageTooLarge(DomainError):
    status, slug, title = 422, "image-too-large", "Image too large"


@dataclass(frozen=True)
class ImageHeader:
    width: int
    height: int
    frames: int


def read_header(data: bytes, content_type: str) -> ImageHeader | None:
    """The size and frame count an image's header promises (frames as far as `data`
    goes), without decoding it; None if `data` does not start a readable image.

    Raises ImageTooLarge beyond the limits.
    """
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[content_type]]) as image:
            header = ImageHeader(*image.size, frames=getattr(image, "n_frames", 1))
    except Image.DecompressionBombError as exc:
        raise _too_large() from exc
    except Exception:  # whatever a broken or cut-off header makes a parser raise
        return None
    if header.width * header.height > MAX_IMAGE_PIXELS:
        raise _too_large()
    if header.frames > MAX_FRAMES:
        raise ImageTooLarge(f"Animations can have at most {MAX_FRAMES} frames.")
    return header


def _too_large() -> ImageTooLarge:
    return ImageTooLarge(
        f"Images can have at most {MAX_IMAGE_PIXELS // 1_000_000} megapixels (width times height)."
    )
