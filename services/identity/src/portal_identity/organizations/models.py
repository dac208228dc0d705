from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

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
    # The customer's own first level: its people's new tickets are reviewed by its
    # reviewers before the vendor's service desk sees them.
    internal_review: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    domain_rows: Mapped[list[OrganizationDomain]] = relationship(
        lazy="selectin", cascade="all, delete-orphan"
    )

    @property
    def email_domains(self) -> list[str]:
        return sorted(d.domain for d in self.domain_rows)

    @email_domains.setter
    def email_domains(self, domains: list[str]) -> None:
        wanted = set(domains)
        self.domain_rows = [d for d in self.domain_rows if d.domain in wanted] + [
            OrganizationDomain(domain=d) for d in sorted(wanted - set(self.email_domains))
        ]

    @classmethod
    def found(
        cls,
        *,
        name: str,
        priority_contract: bool = False,
        org_wide_visibility: bool = True,
        sla_contract: str | None = None,
        internal_review: bool = False,
        email_domains: list[str] | None = None,
    ) -> Organization:
        org = cls(
            id=uuid.uuid4(),
            name=name,
            priority_contract=priority_contract,
            org_wide_visibility=org_wide_visibility,
            sla_contract=sla_contract,
            internal_review=internal_review,
            active=True,
            created_at=utcnow(),
            domain_rows=[],
        )
        org.email_domains = email_domains or []
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


class OrganizationDomain(Base):
    """An e-mail domain of the organization's people: an access request from an address
    there reaches the organization's admins. A domain belongs to one organization."""

    __tablename__ = "organization_domain"

    domain: Mapped[str] = mapped_column(String(253), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
