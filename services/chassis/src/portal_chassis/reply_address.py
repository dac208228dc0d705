"""Reply addresses: `support+<token>@domain`, naming one ticket and one recipient.

Every mail about a ticket carries one (notify signs it); a mail sent to it is threaded
into that ticket as that recipient (tickets verifies it). The token is the recipient's
id and an HMAC over recipient and ticket number with the first of
`PORTAL_MAIL_SIGNING_KEYS`; every listed key verifies, so keys rotate without breaking
the replies to mails already sent. Base32 and a lower-case number survive mail systems
that fold the case of local parts.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

MAC_BYTES = 10  # 80 bits: guessing is hopeless, and the local part stays under 64 chars


@dataclass(frozen=True)
class ReplyTarget:
    ticket_number: str
    user_id: uuid.UUID


def _mac(key: str, ticket_number: str, user_id: uuid.UUID) -> bytes:
    message = f"{ticket_number.upper()}|{user_id}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).digest()[:MAC_BYTES]


def reply_address(support: str, target: ReplyTarget, keys: Sequence[str]) -> str:
    """The address a mail about `target.ticket_number` to `target.user_id` is answered to."""
    local, _, domain = support.partition("@")
    raw = target.user_id.bytes + _mac(keys[0], target.ticket_number, target.user_id)
    token = base64.b32encode(raw).decode().rstrip("=").lower()
    return f"{local}+{token}.{target.ticket_number.lower()}@{domain}"


def read_reply_address(address: str, keys: Sequence[str]) -> ReplyTarget | None:
    """The target a reply address names, or None when it names none or any key refuses
    it (forged, altered, or signed with a key no longer listed)."""
    local = address.rpartition("@")[0]
    _, plus, tag = local.partition("+")
    token, dot, number = tag.partition(".")
    if not (plus and dot and number):
        return None
    try:
        raw = base64.b32decode(token.upper() + "=" * (-len(token) % 8))
    except ValueError:
        return None
    if len(raw) != 16 + MAC_BYTES:
        return None
    user_id = uuid.UUID(bytes=raw[:16])
    if any(hmac.compare_digest(raw[16:], _mac(key, number, user_id)) for key in keys if key):
        return ReplyTarget(ticket_number=number.upper(), user_id=user_id)
    return None
