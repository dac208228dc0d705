"""Request-scoped identifiers, carried through HTTP headers and event envelopes."""

from __future__ import annotations

import uuid
from contextvars import ContextVar

REQUEST_ID_HEADER = "X-Request-ID"
CORRELATION_ID_HEADER = "X-Correlation-ID"

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
correlation_id: ContextVar[str | None] = ContextVar("correlation_id", default=None)


def new_id() -> str:
    return uuid.uuid4().hex


def current_correlation_id() -> str:
    """The correlation id of the work in progress, or a fresh one for new work."""
    return correlation_id.get() or request_id.get() or new_id()


def clean_id(value: str | None) -> str | None:
    """Accept a client-supplied id only if it is short and printable (it ends up in logs)."""
    if value and len(value) <= 128 and value.isascii() and value.isprintable():
        return value
    return None
