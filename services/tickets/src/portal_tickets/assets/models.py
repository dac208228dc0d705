"""An asset: one installed machine or installation of a customer organization."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, Index, String, Text, UniqueConstraint, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base
from portal_tickets.searched import Searched


class AssetStatus(enum.StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    RETIRED = "retired"


# The fields a search looks at, in this order.
class Asset(Base, Searched):
    __tablename__ = "asset"
    # The fields a search looks at, in this order.
    SEARCHED = ("name", "serial_number", "product", "location")
    __table_args__ = (
        UniqueConstraint("organization_id", "serial_number"),
        # The list walks these by name; the keyset cursor is (name, id).
        Index("ix_asset_name", "name", "id"),
        Index("ix_asset_org_name", "organization_id", "name", "id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    # None only for an asset of the vendor's own tickets (carried over from tickets
    # without an organization); whatever the API creates belongs to an organization.
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    name: Mapped[str] = mapped_column(String(200))
    product: Mapped[str | None] = mapped_column(String(200), nullable=True)
    serial_number: Mapped[str] = mapped_column(String(100))
    location: Mapped[str | None] = mapped_column(String(200), nullable=True)
    installed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # A contract of the same service (table `contract`); no foreign key.
    contract_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    status: Mapped[AssetStatus] = mapped_column(
        Enum(
            AssetStatus,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=AssetStatus.ACTIVE,
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
