from __future__ import annotations

import enum
import uuid
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.uow import RecordsEvents
from portal_files.attachments.events import FileStored
from portal_files.base import Base


class Purpose(enum.StrEnum):
    ATTACHMENT = "attachment"
    CASE_FILE = "case_file"
    EXCHANGE = "exchange"


class StoredFile(Base, RecordsEvents):
    """Metadata of one object in the blob store."""

    __tablename__ = "stored_file"
    __table_args__ = (Index("ix_stored_file_org_created", "organization_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    uploader_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Who uploaded it as people know them (the token's user name), for lists.
    uploader_name: Mapped[str | None] = mapped_column(String(64), nullable=True)
    purpose: Mapped[Purpose] = mapped_column(
        Enum(Purpose, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])
    )
    # The cleaned name used in downloads, and the name as given, for display.
    name: Mapped[str] = mapped_column(String(255))
    original_name: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    object_key: Mapped[str] = mapped_column(String(300), unique=True)
    ticket_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    folder_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("case_folder.id", ondelete="CASCADE"), nullable=True, index=True
    )
    # When a ticket article first referred to the attachment; unreferenced attachments
    # are removed after a day.
    referenced_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    thumbnail_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def stored(self) -> None:
        self.record(
            FileStored(
                id=self.id,
                name=self.name,
                size=self.size,
                content_type=self.content_type,
                sha256=self.sha256,
                organization_id=self.organization_id,
                uploader_id=self.uploader_id,
                ticket_number=self.ticket_number,
                purpose=self.purpose.value,
                created_at=self.created_at,
            )
        )


class TicketAttachment(Base):
    """A file attached to a ticket's public message: whoever sees the ticket may read it.
    (Internal notes grant nothing: staff read every file anyway.)"""

    __tablename__ = "ticket_attachment"

    file_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stored_file.id", ondelete="CASCADE"), primary_key=True
    )
    ticket_number: Mapped[str] = mapped_column(String(32), primary_key=True)
