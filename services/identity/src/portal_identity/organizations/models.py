from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.uow import RecordsEvents
from portal_identity.base import Base
from portal_identity.organizations.events import OrganizationCreated, OrganizationUpdated


class Organization(Base, RecordsEvents):
    """A customer company. Vendor staff (agents, admins) belong to no organization."""

    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # Without a contract for priorities every ticket of the organization is P4.
    priority_contract: Mapped[bool] = mapped_column(Boolean, default=False)
    # Members see each other's tickets unless the organization revokes it.
    org_wide_visibility: Mapped[bool] = mapped_column(Boolean, default=True)
    sla_contract: Mapped[str | None] = mapped_column(String(100), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @classmethod
    def found(
        cls,
        *,
        name: str,
        priority_contract: bool = False,
        org_wide_visibility: bool = True,
        sla_contract: str | None = None,
    ) -> Organization:
        org = cls(
            id=uuid.uuid4(),
            name=name,
            priority_contract=priority_contract,
            org_wide_visibility=org_wide_visibility,
            sla_contract=sla_contract,
            active=True,
            created_at=utcnow(),
        )
        org.record(OrganizationCreated.of(org))
        return org

    def change(self, **changes: Any) -> bool:
        """Apply field changes; records one update event if anything changed."""
        changed = False
        for field, value in changes.items():
            if getattr(self, field) != value:
                setattr(self, field, value)
                changed = True
        if changed:
            self.record(OrganizationUpdated.of(self))
        return changed
