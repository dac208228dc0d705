from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, Index, String, Text, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_identity.base import Base


class RequestState(enum.StrEnum):
    # A request from the sign-in page until its address is confirmed: nobody sees it.
    UNCONFIRMED = "unconfirmed"
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class RequestOrigin(enum.StrEnum):
    COLLEAGUE = "colleague"  # a customer admin asks for a colleague
    SIGN_IN = "sign_in"  # a person without an account asks on the sign-in page


def _enum(cls: type[enum.StrEnum]) -> Enum:
    return Enum(cls, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class AccessRequest(Base):
    """Somebody asks the vendor for an account: a customer admin for a colleague, or a
    person without an account from the sign-in page (organization matched by the
    domain of the confirmed address, user name chosen when approved)."""

    __tablename__ = "access_request"
    __table_args__ = (
        # One open request from the sign-in page per address, however many arrive at once.
        Index(
            "uq_access_request_open_email",
            "email",
            unique=True,
            postgresql_where=text("origin = 'sign_in' AND state IN ('unconfirmed', 'pending')"),
            sqlite_where=text("origin = 'sign_in' AND state IN ('unconfirmed', 'pending')"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    origin: Mapped[RequestOrigin] = mapped_column(
        _enum(RequestOrigin), default=RequestOrigin.COLLEAGUE, server_default="colleague"
    )
    # The requester's organization, or the one a sign-in request's domain matched.
    organization_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("organization.id"), nullable=True, index=True
    )
    requested_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Empty for a sign-in request until it is approved (the approver chooses it).
    username: Mapped[str] = mapped_column(String(64))
    email: Mapped[str] = mapped_column(String(320))
    display_name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="", server_default="")
    phone: Mapped[str] = mapped_column(String(50), default="", server_default="")
    function: Mapped[str] = mapped_column(String(200), default="", server_default="")
    language: Mapped[str] = mapped_column(String(2))
    role: Mapped[str] = mapped_column(String(32))
    # The colleague request's note, or why the person asks for access.
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[RequestState] = mapped_column(
        _enum(RequestState), default=RequestState.PENDING, index=True
    )
    # Only the SHA-256 of the mailed confirmation token; gone once confirmed.
    confirmation_digest: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    confirmation_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Why the request was rejected.
    reason: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
