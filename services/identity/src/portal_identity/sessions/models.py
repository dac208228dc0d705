from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, Enum, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_identity.base import Base


class RefreshToken(Base):
    """One link in a refresh-token family (one sign-in). Only the SHA-256 is stored."""

    __tablename__ = "refresh_token"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    remember_me: Mapped[bool] = mapped_column(Boolean, default=False)
    # How the sign-in was made (RFC 8176 `amr`): every token of the family says the same.
    amr: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pwd"], server_default='["pwd"]')
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set when this token was exchanged for its successor; presenting it again is reuse.
    rotated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SignInSession(Base):
    """One sign-in the user can see in their profile and end: its id is its
    refresh-token family's and the tokens' `sid`. `device_key` is the digest of the
    browser's device cookie (else of its user agent), to tell a new device."""

    __tablename__ = "sign_in_session"
    __table_args__ = (Index("ix_sign_in_session_user_device", "user_id", "device_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    user_agent: Mapped[str] = mapped_column(String(512), default="")
    device: Mapped[str] = mapped_column(String(128), default="")  # e.g. "Firefox on Linux"
    device_key: Mapped[str] = mapped_column(String(64), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    remember_me: Mapped[bool] = mapped_column(Boolean, default=False)
    amr: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["pwd"])
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class LinkPurpose(enum.StrEnum):
    RESET = "reset"
    INVITE = "invite"


class OneTimeToken(Base):
    """A password-reset or invitation token: random, single use, expiring, stored hashed."""

    __tablename__ = "one_time_token"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id"), index=True)
    purpose: Mapped[LinkPurpose] = mapped_column(
        Enum(
            LinkPurpose,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LoginAudit(Base):
    """Every sign-in attempt, for the security audit trail."""

    __tablename__ = "login_audit"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    outcome: Mapped[str] = mapped_column(String(16))  # success | failure | throttled
    client_address: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class Revocation(Base):
    """An ended sign-in (`session_id`: its refresh-token family, the tokens' `sid`), or,
    without one, every token of the user issued before `revoked_at`. Kept as long as an
    access token can live; every verifier polls them (portal_chassis.revocation)."""

    __tablename__ = "revocation"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    session_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    revoked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
