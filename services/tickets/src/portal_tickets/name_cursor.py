"""Opaque keyset cursors of the lists ordered by name (assets, text modules): the name and
id of the last row seen."""

from __future__ import annotations

import base64
import json
import uuid

from portal_chassis.errors import InvalidInput
from portal_chassis.text import has_control_characters

BAD = InvalidInput([{"field": "cursor", "message": "Invalid cursor.", "code": "cursor"}])


def encode(name: str, row_id: uuid.UUID) -> str:
    raw = json.dumps([name, str(row_id)], ensure_ascii=False).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str) -> tuple[str, uuid.UUID]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        name, last = json.loads(raw)
        if not isinstance(name, str) or not isinstance(last, str) or has_control_characters(name):
            raise ValueError
        return name, uuid.UUID(last)
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise BAD from exc
