"""The files service's copy of the tickets and organizations it authorizes by, fed by the
tickets and identity services' events (never read from their databases)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime
from portal_files.base import Base


class KnownTicket(Base):
    """A ticket as the tickets service last announced it: whose it is and who is on it."""

    __tablename__ = "known_ticket"

    number: Mapped[str] = mapped_column(String(32), primary_key=True)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # None until an event names them (tickets learned of before events were kept for
    # visibility): then only staff and, with organization-wide visibility, the
    # organization see the ticket.
    creator_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # `internal` or `requester` while the ticket is in its organization's internal review
    # (the vendor's staff do not see it then); None once handed over, and always for an
    # organization without the review step.
    review: Mapped[str | None] = mapped_column(String(16), nullable=True)
    # When the tickets service made the change this row reflects: older events never
    # overwrite it.
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class KnownOrganization(Base):
    __tablename__ = "known_organization"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    org_wide_visibility: Mapped[bool] = mapped_column(Boolean, default=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
