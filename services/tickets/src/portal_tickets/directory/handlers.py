"""Identity and files events that keep the directory current: each copies the facts it
reads into its table (portal_chassis.readmodel), newest change first."""

from __future__ import annotations

import uuid

from portal_chassis.consumers import EventFacts
from portal_chassis.copier import OrganizationFacts, UserFacts, copier
from portal_tickets.directory.models import KnownFile, KnownOrganization, KnownUser


class StoredFileFacts(EventFacts):
    """`files.file.stored`: enough to check an attachment id locally."""

    id: uuid.UUID
    organization_id: uuid.UUID | None = None
    uploader_id: uuid.UUID | None = None  # None: uploaded through a file exchange's link
    name: str
    size: int
    content_type: str


on_organization = copier(
    "identity.organization.*",
    name="tickets.directory.organization",
    model=KnownOrganization,
    reads=OrganizationFacts,
)

on_user = copier(
    "identity.user.created",
    "identity.user.updated",
    "identity.user.deactivated",
    name="tickets.directory.user",
    model=KnownUser,
    reads=UserFacts,
)

on_file_stored = copier(
    "files.file.stored", name="tickets.directory.file", model=KnownFile, reads=StoredFileFacts
)

HANDLERS = [on_organization, on_user, on_file_stored]
