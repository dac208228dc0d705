from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict


class FileRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # built from rows

    id: uuid.UUID
    name: str
    original_name: str
    size: int
    content_type: str
    sha256: str
    organization_id: uuid.UUID | None
    created_at: datetime


class DownloadLink(BaseModel):
    """A short-lived link straight to the object store: large downloads skip the portal."""

    url: str
    expires_at: datetime
