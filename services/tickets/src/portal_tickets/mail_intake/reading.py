"""Reading of one inbound e-mail: raw RFC 5322 bytes become an `InboundMail`.

Pure functions, no I/O. The result holds who wrote to whom, the thread ids, the
text the sender wrote now (quoted history and signature removed), the whole body
for audit, the attachments, and whether the mail was sent by a machine (such mail
is never answered, so the channel cannot loop with an autoresponder).
"""

from __future__ import annotations

import codecs
import hashlib
import mimetypes
import re
import textwrap
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses

from inscriptis import get_text  # type: ignore[import-untyped]
from mailparser_reply.parser import EmailMessage as ReplyText  # type: ignore[import-untyped]

from portal_chassis.text import strip_control_characters
from portal_tickets.mail_intake.delivery import MailEnvelope

MAX_TEXT_CHARS = 100_000
# The reply parser only needs the top of a long body: the latest reply comes first.
_REPLY_SCAN_CHARS = 2 * MAX_TEXT_CHARS
_MAX_FILENAME_CHARS = 200
_REPLY_LANGUAGES = ("de", "en")
_RECIPIENT_HEADERS = ("To", "Cc", "Delivered-To", "X-Original-To")
_BULK_PRECEDENCE = frozenset({"bulk", "junk", "list", "auto_reply"})
_SUPPRESS_AUTO_REPLY = frozenset({"all", "oof", "autoreply"})
_DAEMON_SENDERS = frozenset({"mailer-daemon", "postmaster"})
_MSG_ID = re.compile(r"<\s*([^<>\s]+)\s*>")
_QUOTED_LINE = re.compile(r"^[ \t]*>.*(?:\n|$)", re.MULTILINE)
# Built-in table only, so generated names do not depend on the host's mime.types.
_MIME_TYPES = mimetypes.MimeTypes()


class MailUnreadable(ValueError):
    """The raw bytes are no usable mail; `str(exc)` is a short reason."""


@dataclass(frozen=True)
class MailAttachment:
    """One attached file; `filename` is a bare, safe name (generated when the mail had none)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class InboundMail:
    """One inbound mail, read.

    Addresses are lower-cased and message ids carry no angle brackets. `recipients` are
    those of the headers, then those of the envelope. `subject` is one line without
    control characters. `text` is only what the sender wrote now; `full_text` is the whole
    body as plain text, for audit. `automated` names why the mail came from a machine
    (never to be answered), or is None.
    """

    message_id: str
    sender: str
    sender_name: str
    recipients: tuple[str, ...]
    subject: str
    references: tuple[str, ...]
    text: str
    full_text: str
    attachments: tuple[MailAttachment, ...]
    automated: str | None


def read_mail(raw: bytes, envelope: MailEnvelope | None = None) -> InboundMail:
    """Read one raw mail (with its SMTP envelope, when it came with one); raises
    `MailUnreadable` when it is not a mail or has no sender."""
    try:
        return _read(raw, envelope)
    except RecursionError:
        # Hostile nesting of MIME parts exhausts the stdlib parser's recursion.
        raise MailUnreadable("mail structure nested too deeply") from None


def _read(raw: bytes, envelope: MailEnvelope | None) -> InboundMail:
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    if not msg.keys():
        raise MailUnreadable("no mail headers")
    sender_name, sender = _sender(msg)
    body_part, full_text = _body(msg)
    automated = _automated(msg, sender)
    if automated is None and envelope is not None and envelope.null_sender:
        automated = "null-sender"  # MAIL FROM:<>, even without a Return-Path header
    return InboundMail(
        message_id=_message_id(msg, raw),
        sender=sender,
        sender_name=sender_name,
        recipients=_recipients(msg, envelope),
        subject=one_line(_first_header(msg, "Subject")),
        references=_references(msg),
        text=_latest_reply(full_text),
        full_text=full_text,
        attachments=_attachments(msg, body_part),
        automated=automated,
    )


def one_line(value: str) -> str:
    """`value` as one line: white space (line breaks, tabs) folded to single spaces and
    control characters dropped, so it passes as a ticket title (a mail with one in its
    subject would otherwise be refused again on every retry)."""
    return " ".join(strip_control_characters(" ".join(value.split()), keep_lines=False).split())


# --- headers -------------------------------------------------------------------------


def _clean(value: str) -> str:
    """Undo the parser's surrogate escapes (raw 8-bit bytes) and drop NUL characters."""
    fixed = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return fixed.replace("\x00", "")


def _headers(msg: Message, name: str) -> list[str]:
    """All decoded values of one header (RFC 2047 words decoded by the policy)."""
    try:
        return [_clean(str(value)) for value in msg.get_all(name, [])]
    except Exception:
        # The stdlib header parser still crashes on some hostile values; raw text will do.
        return [_clean(str(value)) for key, value in msg.raw_items() if key.lower() == name.lower()]


def _first_header(msg: Message, name: str) -> str:
    values = _headers(msg, name)
    return values[0].strip() if values else ""


def _addresses(values: Iterable[str]) -> Iterator[tuple[str, str]]:
    """(display name, lower-cased address) for every well-formed address in `values`."""
    for name, address in getaddresses(list(values)):
        local, _, domain = address.strip().rpartition("@")
        if local and domain and not any(ch.isspace() for ch in address.strip()):
            yield one_line(name), address.strip().lower()


def _sender(msg: Message) -> tuple[str, str]:
    for name, address in _addresses(_headers(msg, "From")):
        return name, address
    raise MailUnreadable("no sender address")


def _recipients(msg: Message, envelope: MailEnvelope | None) -> tuple[str, ...]:
    found = [
        address for header in _RECIPIENT_HEADERS for _, address in _addresses(_headers(msg, header))
    ]
    if envelope is not None:  # RCPT TO: a reply address sent as Bcc, or through a relay
        found += [address for _, address in _addresses(envelope.recipients)]
    return tuple(dict.fromkeys(found))


def _ids(value: str) -> list[str]:
    """Message ids in a header value; bare ids are taken too, as some clients omit brackets."""
    bracketed = _MSG_ID.findall(value)
    return bracketed or [token for token in value.split() if "@" in token]


def _message_id(msg: Message, raw: bytes) -> str:
    ids = _ids(_first_header(msg, "Message-ID"))
    if ids:
        return ids[0]
    # Same bytes, same id: a mail fetched twice is recognised as already read.
    return f"{hashlib.sha256(raw).hexdigest()}@sha256.invalid"


def _references(msg: Message) -> tuple[str, ...]:
    values = _headers(msg, "In-Reply-To") + _headers(msg, "References")
    return tuple(dict.fromkeys(mid for value in values for mid in _ids(value)))


# --- machine mail --------------------------------------------------------------------


def _is_bounce(msg: Message, sender: str) -> bool:
    if msg.get_content_type() == "multipart/report":
        return True
    if any(part.get_content_type() == "message/delivery-status" for part in _leaves(msg)):
        return True
    return sender.rpartition("@")[0] in _DAEMON_SENDERS


def _is_auto_reply(msg: Message, sender: str) -> bool:
    if "X-Autoreply" in msg or "X-Autorespond" in msg:
        return True
    tokens = re.split(r"[\s,]+", _first_header(msg, "X-Auto-Response-Suppress").lower())
    return not _SUPPRESS_AUTO_REPLY.isdisjoint(tokens)


def _is_list_mail(msg: Message, sender: str) -> bool:
    return "List-Id" in msg or "List-Unsubscribe" in msg


def _is_auto_submitted(msg: Message, sender: str) -> bool:
    value = _first_header(msg, "Auto-Submitted").split(";")[0].strip().lower()
    return bool(value) and value != "no"


def _has_bulk_precedence(msg: Message, sender: str) -> bool:
    return _first_header(msg, "Precedence").lower() in _BULK_PRECEDENCE


def _has_null_sender(msg: Message, sender: str) -> bool:
    return "Return-Path" in msg and not _first_header(msg, "Return-Path").strip("<> \t")


# Most specific reason first: a delivery report usually carries Auto-Submitted and a
# null Return-Path as well, and a list mail carries Precedence: list.
_AUTOMATED_CHECKS: tuple[tuple[str, Callable[[Message, str], bool]], ...] = (
    ("bounce", _is_bounce),
    ("auto-reply", _is_auto_reply),
    ("mailing-list", _is_list_mail),
    ("auto-submitted", _is_auto_submitted),
    ("precedence", _has_bulk_precedence),
    ("null-sender", _has_null_sender),
)


def _automated(msg: Message, sender: str) -> str | None:
    return next((reason for reason, check in _AUTOMATED_CHECKS if check(msg, sender)), None)


# --- body ----------------------------------------------------------------------------


def _decoded(part: Message) -> str:
    """The part's text; unknown charsets and broken bytes never raise."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        if codecs.lookup(charset).name == "ascii":
            charset = "utf-8"  # a superset; mislabelled 8-bit text is common
        text = payload.decode(charset, errors="replace")
    except (LookupError, UnicodeError):
        text = payload.decode("utf-8", errors="replace")
    return text.replace("\x00", "")


def _tidy(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def _body(msg: EmailMessage) -> tuple[Message | None, str]:
    """The body part and its plain text: text/plain preferred, else HTML converted."""
    for kind in ("plain", "html"):
        part = msg.get_body(preferencelist=(kind,))
        if part is None:
            continue
        text = _decoded(part)
        if kind == "html":
            # Converted text only: scripts and styles dropped, tags never reach the output.
            text = textwrap.dedent(get_text(text))  # the converter indents block content
        text = _tidy(text)
        if text.strip():
            return part, text
    return None, ""


def _latest_reply(full_text: str) -> str:
    """What the sender wrote now; the full text when nothing else is left."""
    parsed = ReplyText(
        text=full_text[:_REPLY_SCAN_CHARS],
        languages=list(_REPLY_LANGUAGES),
        keep_hyphen_lists=True,  # "- item" lines are content, not a signature
    ).read()
    first = parsed.replies[0] if parsed.replies else None
    # A first fragment with a header is already quoted history: nothing new was written.
    reply: str = first.body if first is not None and not first.headers else ""
    reply = re.sub(r"\n{3,}", "\n\n", _QUOTED_LINE.sub("", reply))
    reply = _tidy(reply).strip()
    return (reply or full_text)[:MAX_TEXT_CHARS].rstrip()


# --- attachments ---------------------------------------------------------------------


def _leaves(part: Message) -> Iterator[Message]:
    """Non-multipart parts; an attached mail (message/*) is one leaf, not opened."""
    if part.get_content_maintype() != "multipart":
        yield part
    elif part.is_multipart():  # a multipart without parts (broken boundary) has no leaves
        for sub in part.get_payload():
            if isinstance(sub, Message):
                yield from _leaves(sub)


def _part_bytes(part: Message) -> bytes:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload
    if not part.is_multipart():
        return b""
    # message/rfc822: serialise the attached mail as it came. (Only a part that holds
    # parts may be asked for its undecoded payload: a text payload would be decoded with
    # its declared charset, which can raise.)
    keep = policy.default.clone(refold_source="none")
    inner = part.get_payload()
    return b"".join(sub.as_bytes(policy=keep) for sub in inner if isinstance(sub, Message))


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        # Parameter parsing in the stdlib can crash on hostile values; treat as unnamed.
        return ""
    return _safe_filename(name)


def _safe_filename(name: str) -> str:
    """Last path segment, printable characters only, no leading dots, bounded length."""
    name = unicodedata.normalize("NFC", _clean(name))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .")
    if len(name) > _MAX_FILENAME_CHARS:
        stem, dot, ext = name.rpartition(".")
        ext = dot + ext if stem and len(ext) <= 16 else ""
        name = name[: _MAX_FILENAME_CHARS - len(ext)] + ext
    return name


def _attachments(msg: Message, body_part: Message | None) -> tuple[MailAttachment, ...]:
    found: list[MailAttachment] = []
    for part in _leaves(msg):
        if part is body_part:
            continue
        name = _filename(part)
        if part.get_content_disposition() != "attachment" and not name:
            continue  # an unnamed inline part belongs to the body
        content_type = part.get_content_type()
        if not name:
            ext = _MIME_TYPES.guess_extension(content_type) or ".bin"
            name = f"attachment-{len(found) + 1}{ext}"
        found.append(MailAttachment(name, content_type, _part_bytes(part)))
    return tuple(found)
