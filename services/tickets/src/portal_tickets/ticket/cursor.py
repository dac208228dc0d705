"""Opaque keyset cursors: the sort value and sequence number of the last row seen."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from typing import Any

from portal_chassis.errors import InvalidInput
from portal_tickets.ticket.models import NO_DUE, Ticket
from portal_tickets.ticket.repository import NULLABLE_SORTS

VALID = {
    "number": lambda v: isinstance(v, int),
    "priority": lambda v: v in ("P1", "P2", "P3", "P4"),
}
BAD = InvalidInput([{"field": "cursor", "message": "Invalid cursor.", "code": "cursor"}])


def position(ticket: Ticket, sort: str) -> tuple[Any, int]:
    """Where `ticket` stands in a list sorted by `sort`: (sort value, sequence number)."""
    value: Any = {
        "number": ticket.seq,
        "created": ticket.created_at,
        "updated": ticket.updated_at,
        "priority": ticket.priority.value,
        "sla": ticket.sla_due_at or NO_DUE,
        "due": ticket.next_due_at,  # None: a done ticket, after all due ones
    }[sort]
    return value, ticket.seq


def encode(ticket: Ticket, sort: str) -> str:
    value, seq = position(ticket, sort)
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([sort, value, seq]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, sort: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, value, seq = json.loads(raw)
        if cursor_sort != sort or not isinstance(seq, int):
            raise ValueError
        if value is None and sort in NULLABLE_SORTS:
            return value, seq  # past the last value: in the part ordered by number
        if sort in ("created", "updated", "sla", "due"):
            value = datetime.fromisoformat(value)
        elif not VALID.get(sort, lambda _v: True)(value):
            raise ValueError
        return value, seq
    except (ValueError, TypeError, json.JSONDecodeError) as exc:
        raise BAD from exc
