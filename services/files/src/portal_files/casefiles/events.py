"""Events about case-file folders, so open pages can update live."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from portal_chassis.envelope import Event

FolderAction = Literal["created", "renamed", "moved", "deleted"]


class FolderChanged(Event):
    event_type: ClassVar[str] = "files.folder.changed"

    ticket_number: str
    organization_id: uuid.UUID | None
    folder_id: uuid.UUID
    parent_id: uuid.UUID | None
    name: str
    action: FolderAction
    actor_id: uuid.UUID
