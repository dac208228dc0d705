"""The notify service's copy of who is who, which organizations let colleagues see each
other's tickets and who cares about which ticket, fed by identity and tickets events
(never read from their databases)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_notify.base import Base

STAFF_ROLES = frozenset({"agent", "admin"})


class Person(Base):
    __tablename__ = "person"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    roles: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Granted one by one beside the roles: `review` makes a customer one of the
    # organization's reviewers (its internal review, before tickets go to the vendor).
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Per kind of event: e-mail on or off (missing means on).
    preferences: Mapped[dict[str, bool]] = mapped_column(JSON, default=dict)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)

    @property
    def is_staff(self) -> bool:
        return bool(STAFF_ROLES & set(self.roles))

    @property
    def is_reviewer(self) -> bool:
        return not self.is_staff and "review" in (self.permissions or [])

    def wants_mail(self, kind: str) -> bool:
        return self.active and bool(self.email) and self.preferences.get(kind, True)


class Organization(Base):
    """A customer organization, as far as routing needs it: who may see whose tickets."""

    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    # For the words of a notice (a ticket handed over by the organization's first level).
    name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    # Colleagues see each other's tickets only while this is on.
    org_wide_visibility: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketCard(Base):
    """What routing needs to know about a ticket: its people and where it stands."""

    __tablename__ = "ticket_card"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    status: Mapped[str] = mapped_column(String(32))
    portal_status: Mapped[str] = mapped_column(String(32))
    # `internal` or `requester` while in its organization's internal review (the vendor's
    # staff hear nothing of it then); None once handed over.
    review: Mapped[str | None] = mapped_column(String(16), nullable=True)
    as_of: Mapped[datetime] = mapped_column(UTCDateTime)


class TicketFollower(Base):
    __tablename__ = "ticket_follower"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket_card.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
