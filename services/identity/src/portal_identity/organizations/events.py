"""Events the identity service publishes about organizations."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, ClassVar

from portal_chassis.envelope import Event

if TYPE_CHECKING:
    from portal_identity.organizations.models import Organization


class OrganizationSnapshot(Event):
    id: uuid.UUID
    name: str
    priority_contract: bool
    org_wide_visibility: bool
    sla_contract: str | None
    internal_review: bool = False
    email_domains: list[str] = []
    active: bool

    @classmethod
    def of(cls, org: Organization) -> OrganizationSnapshot:
        return cls(
            id=org.id,
            name=org.name,
            priority_contract=org.priority_contract,
            org_wide_visibility=org.org_wide_visibility,
            sla_contract=org.sla_contract,
            internal_review=org.internal_review,
            email_domains=org.email_domains,
            active=org.active,
        )


class OrganizationCreated(OrganizationSnapshot):
    event_type: ClassVar[str] = "identity.organization.created"


class OrganizationUpdated(OrganizationSnapshot):
    event_type: ClassVar[str] = "identity.organization.updated"
