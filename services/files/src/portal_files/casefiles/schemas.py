from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from portal_chassis.text import OptionalSingleLine, SingleLine


class FolderCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: SingleLine = Field(min_length=1, max_length=200, pattern=r"^[^/\\]+$")
    parent_id: uuid.UUID | None = None


class FolderUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: OptionalSingleLine = Field(
        default=None, min_length=1, max_length=200, pattern=r"^[^/\\]+$"
    )
    parent_id: uuid.UUID | None = None
    to_top: bool = Field(default=False, description="Move the folder to the top level.")


class CaseFile(BaseModel):
    model_config = ConfigDict(from_attributes=True)  # built from rows

    id: uuid.UUID
    name: str
    size: int
    content_type: str
    uploader_id: uuid.UUID | None
    uploader_name: str | None
    created_at: datetime


class FolderRead(BaseModel):
    id: uuid.UUID
    name: str
    parent_id: uuid.UUID | None
    created_by: uuid.UUID
    created_by_name: str | None
    created_at: datetime
    files: list[CaseFile]
    size: int = Field(description="Bytes in this folder, without subfolders.")


class CaseFileTree(BaseModel):
    ticket_number: str
    folders: list[FolderRead]
