"""The ticket visibility rule: the one security rule every service that keeps data about
a ticket applies on every read (tickets, files, notify), so it is written once.

Staff see every ticket. A customer sees the tickets they created or are the contact of,
and the other tickets of their organization only while it has organization-wide
visibility. An organization not heard of yet counts as having it (the default), so the
services agree while an organization's first event is on its way.
"""

from __future__ import annotations

import uuid
from typing import Protocol


class Reader(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def organization_id(self) -> uuid.UUID | None: ...
    @property
    def is_staff(self) -> bool: ...


class TicketParties(Protocol):
    @property
    def organization_id(self) -> uuid.UUID | None: ...
    # A copy may not know them yet (files learns of a ticket from several events).
    @property
    def creator_id(self) -> uuid.UUID | None: ...
    @property
    def contact_id(self) -> uuid.UUID | None: ...


class OrganizationSetting(Protocol):
    @property
    def org_wide_visibility(self) -> bool: ...


def org_wide(org: OrganizationSetting | None) -> bool:
    return org is None or org.org_wide_visibility


def can_see_ticket(reader: Reader, ticket: TicketParties, org: OrganizationSetting | None) -> bool:
    if reader.is_staff:
        return True
    if reader.id in (ticket.creator_id, ticket.contact_id):
        return True
    return (
        reader.organization_id is not None
        and ticket.organization_id == reader.organization_id
        and org_wide(org)
    )
