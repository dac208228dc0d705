"""Opaque keyset cursors of the text module list: the name and id of the last row seen."""

from __future__ import annotations

import base64
import json
import uuid

from portal_chassis.errors import InvalidInput
from portal_chassis.text import has_control_characters
from portal_tickets.text_modules.models import TextModule

BAD = InvalidInput([{"field": "cursor", "message": "Invalid cursor.", "code": "cursor"}])


def encode(module: TextModule) -> str:
    raw = json.dumps([module.name, str(module.id)], ensure_ascii=False).encode()
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
