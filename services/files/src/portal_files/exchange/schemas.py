from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from portal_chassis.text import SingleLine


class ShareCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=200)
    expires_in_days: int = Field(default=7, ge=1, le=90)
    password: str | None = Field(default=None, min_length=6, max_length=200)
    allow_upload: bool = True
    allow_download: bool = True
    download_limit: int | None = Field(default=None, ge=1, le=100_000)

    @model_validator(mode="after")
    def _does_something(self) -> ShareCreate:
        if not (self.allow_upload or self.allow_download):
            raise ValueError("a share allows uploads, downloads or both")
        return self


class SharedFile(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # built from rows

    id: uuid.UUID
    name: str
    size: int
    content_type: str
    created_at: datetime


class ShareRead(BaseModel):
    id: uuid.UUID
    name: str
    expires_at: datetime
    password_protected: bool
    allow_upload: bool
    allow_download: bool
    download_limit: int | None
    download_count: int
    downloads_left: int | None = Field(description="None when the share has no limit.")
    downloads_exhausted: bool = Field(description="The download limit is reached.")
    revoked: bool
    created_at: datetime


class ShareCreated(ShareRead):
    token: str = Field(description="Shown once: only its hash is stored.")
    url: str


class AccessEntry(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # built from rows

    action: str
    outcome: str
    file_id: uuid.UUID | None
    client_address: str
    at: datetime


class ShareDetail(ShareRead):
    files: list[SharedFile]
    log: list[AccessEntry]


class ShareList(BaseModel):
    items: list[ShareRead]
    next_cursor: str | None = None


class PublicShare(BaseModel):
    """What someone holding the link sees."""

    name: str
    expires_at: datetime
    allow_upload: bool
    allow_download: bool
    downloads_left: int | None
    downloads_exhausted: bool = Field(description="The download limit is reached.")
    max_file_bytes: int
    files: list[SharedFile]
