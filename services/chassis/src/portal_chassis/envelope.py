"""The event envelope of every message on the bus (DESIGN.md §3)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, Field

from portal_chassis import context


def _now() -> datetime:
    return datetime.now(UTC)


class Envelope(BaseModel):
    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    version: int = 1
    occurred_at: datetime = Field(default_factory=_now)
    producer: str
    correlation_id: str = Field(default_factory=context.current_correlation_id)
    data: dict[str, Any] = Field(default_factory=dict)

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()

    @classmethod
    def from_json(cls, raw: bytes | str) -> Envelope:
        return cls.model_validate_json(raw)


class Event(BaseModel):
    """Base for a domain's typed event payloads: the fields become the envelope's `data`."""

    event_type: ClassVar[str]
    event_version: ClassVar[int] = 1

    def envelope(self, producer: str) -> Envelope:
        return Envelope(
            type=self.event_type,
            version=self.event_version,
            producer=producer,
            data=self.model_dump(mode="json"),
        )
