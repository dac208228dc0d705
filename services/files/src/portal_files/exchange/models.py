from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_files.base import Base


class Share(Base):
    """A token-secured link through which people without an account exchange files."""

    __tablename__ = "exchange_share"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # SHA-256 of the token in the link: the link itself is shown once, to its creator.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True, index=True)
    created_by: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    allow_upload: Mapped[bool] = mapped_column(Boolean, default=True)
    allow_download: Mapped[bool] = mapped_column(Boolean, default=True)
    download_limit: Mapped[int | None] = mapped_column(Integer, nullable=True)
    download_count: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def downloads_left(self) -> int | None:
        """Downloads the link still gives, None without a limit."""
        if self.download_limit is None:
            return None
        return max(0, self.download_limit - self.download_count)

    @property
    def downloads_exhausted(self) -> bool:
        # A page decides from this whether its download links still work.
        return self.downloads_left == 0


class ShareFile(Base):
    __tablename__ = "exchange_file"

    share_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("exchange_share.id", ondelete="CASCADE"), primary_key=True
    )
    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True
    )


class ShareAccess(Base):
    """The access log of a share: who did what, when, from where, and how it went."""

    __tablename__ = "exchange_access"
    __table_args__ = (Index("ix_exchange_access_share_at", "share_id", "at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    share_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exchange_share.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(16))  # view | upload | download
    outcome: Mapped[str] = mapped_column(String(32))  # ok | wrong_password | expired | ...
    file_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    client_address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
