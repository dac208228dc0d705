"""Events the files service publishes."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from portal_chassis.envelope import Event


class FileStored(Event):
    event_type: ClassVar[str] = "files.file.stored"

    id: uuid.UUID
    name: str
    size: int
    content_type: str
    sha256: str
    organization_id: uuid.UUID | None
    uploader_id: uuid.UUID | None
    ticket_number: str | None
    purpose: str
    created_at: datetime
