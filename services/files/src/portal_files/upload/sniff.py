"""Deciding a file's type from its first bytes, never from its name or the client's
word, and cleaning file names (pure functions)."""

from __future__ import annotations

import re
import unicodedata

SNIFF_BYTES = 4096

# Types the portal accepts, by the magic bytes that start them.
SIGNATURES: list[tuple[str, bytes, int]] = [
    ("application/pdf", b"%PDF-", 0),
    ("image/png", b"\x89PNG\r\n\x1a\n", 0),
    ("image/jpeg", b"\xff\xd8\xff", 0),
    ("image/gif", b"GIF87a", 0),
    ("image/gif", b"GIF89a", 0),
    ("application/zip", b"PK\x03\x04", 0),
    ("application/zip", b"PK\x05\x06", 0),  # an empty archive
]
ATTACHMENT_TYPES = frozenset(
    {"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain"}
)
EXCHANGE_TYPES = ATTACHMENT_TYPES | {"application/zip"}


def sniff(head: bytes, *, complete: bool) -> str | None:
    """The content type of a file starting with `head` (None: not a type we know).
    `complete` says whether `head` is the whole file."""
    for content_type, magic, offset in SIGNATURES:
        if head[offset : offset + len(magic)] == magic:
            return content_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head and _is_text(head, complete=complete):
        return "text/plain"
    return None


def _is_text(head: bytes, *, complete: bool) -> bool:
    if b"\x00" in head:
        return False
    sample = head
    if not complete:
        # A multi-byte character may be cut at the end of the sample.
        sample = head[: max(0, len(head) - 3)] if len(head) > 3 else head
    try:
        text = sample.decode("utf-8")
    except UnicodeDecodeError:
        return False
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f")
    return controls == 0


_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")
MAX_NAME = 200


def display_name(raw: str) -> str:
    """The name as the user gave it, minus control characters, bounded."""
    return _UNSAFE.sub("", raw).strip()[:255] or "file"


def _keep_extension(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 10:
        return stem[: limit - len(ext) - 1] + "." + ext
    return name[:limit]


def safe_name(raw: str) -> str:
    """A file name safe to use anywhere: no path parts, no control or reserved
    characters, at most 200 characters with the extension kept."""
    name = _UNSAFE.sub("", raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFC", name)
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    return _keep_extension(name, MAX_NAME) if name else "file"
