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


# What a PDF has and a program or other bytes behind a `%PDF-` line have not: an indirect
# object near the start, and the cross-reference pointer and end marker at the end (within
# the last 1024 bytes, as readers allow).
PDF_TAIL_BYTES = 1024
_PDF_OBJECT = re.compile(rb"\d+\s+\d+\s+obj\b")


def pdf_structure_ok(head: bytes, tail: bytes) -> bool:
    """Whether a file starting like a PDF (`head`: its first bytes, `tail`: its last
    `PDF_TAIL_BYTES`) has a PDF's structure markers. Cheap at any size; it tells a
    document from something else, not a sound PDF from a damaged one."""
    return _PDF_OBJECT.search(head) is not None and b"startxref" in tail and b"%%EOF" in tail


# Characters a name must not carry: controls; format characters, among them the
# bidirectional controls that make "\u202egnp.exe" read as "exe.png" (U+202A-U+202E,
# U+2066-U+2069, U+200E/U+200F); line and paragraph separators; surrogates and code
# points that are no characters.
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Cn"})
MAX_NAME = 200


def _neutral(raw: str) -> str:
    name = unicodedata.normalize("NFC", raw)
    return "".join(ch for ch in name if unicodedata.category(ch) not in _INVISIBLE)


def display_name(raw: str) -> str:
    """The name as the user gave it, minus invisible and control characters, bounded."""
    return _neutral(raw).strip()[:255] or "file"


def _keep_extension(name: str, limit: int) -> str:
    if len(name) <= limit:
        return name
    stem, dot, ext = name.rpartition(".")
    if dot and 0 < len(ext) <= 10:
        return stem[: limit - len(ext) - 1] + "." + ext
    return name[:limit]


def safe_name(raw: str) -> str:
    """A file name safe to use anywhere: no path parts, no control, invisible or
    reserved characters, at most 200 characters with the extension kept."""
    name = _neutral(raw).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r'[<>:"|?*]', "_", name).strip(" .")
    return _keep_extension(name, MAX_NAME) if name else "file"
