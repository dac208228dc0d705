"""The ticket visibility rule: the one security rule every service that keeps data about
a ticket applies on every read (tickets, files, notify), so it is written once.

Staff see every ticket once it is with the vendor: a ticket still in its organization's
internal review (`review` set) is the organization's alone until a reviewer hands it
over. A customer sees the tickets they created or are the contact of, and the other
tickets of their organization while it has organization-wide visibility or while they
are one of its reviewers (its first level follows all of them). An organization not
heard of yet counts as having organization-wide visibility (the default), so the
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
    @property
    def is_reviewer(self) -> bool: ...


class TicketParties(Protocol):
    @property
    def organization_id(self) -> uuid.UUID | None: ...
    # A copy may not know them yet (files learns of a ticket from several events).
    @property
    def creator_id(self) -> uuid.UUID | None: ...
    @property
    def contact_id(self) -> uuid.UUID | None: ...
    # `internal` or `requester` while in the organization's review; None once with the
    # vendor (and for every ticket of an organization without the review step).
    @property
    def review(self) -> str | None: ...


class OrganizationSetting(Protocol):
    @property
    def org_wide_visibility(self) -> bool: ...


def org_wide(org: OrganizationSetting | None) -> bool:
    return org is None or org.org_wide_visibility


def can_see_ticket(reader: Reader, ticket: TicketParties, org: OrganizationSetting | None) -> bool:
    if reader.is_staff:
        return ticket.review is None
    if reader.id in (ticket.creator_id, ticket.contact_id):
        return True
    return (
        reader.organization_id is not None
        and ticket.organization_id == reader.organization_id
        and (org_wide(org) or reader.is_reviewer)
    )
