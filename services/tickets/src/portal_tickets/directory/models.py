"""The tickets service's copy of the people and organizations it needs, fed by identity
events (never read from identity's database)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime
from portal_tickets.base import Base


class KnownOrganization(Base):
    __tablename__ = "directory_organization"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    priority_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    org_wide_visibility: Mapped[bool] = mapped_column(Boolean, default=True)
    sla_contract: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # Its people's new tickets start in its internal review (`ticket/review.py`).
    internal_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # When identity made the change this row reflects: older events never overwrite it.
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class KnownUser(Base):
    __tablename__ = "directory_user"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class KnownFile(Base):
    """Uploaded files, from `files.file.stored`: lets attachment ids be checked locally."""

    __tablename__ = "directory_file"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # None: uploaded through a file exchange's link, without an account.
    uploader_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)
