"""Who may use a ticket's case files: whoever sees the ticket, by the service's one rule
(`attachments/permissions.py`)."""

from __future__ import annotations

from portal_chassis.auth import Actor
from portal_files.attachments.permissions import can_view_ticket
from portal_files.directory.models import KnownOrganization, KnownTicket


def can_use_case_files(actor: Actor, ticket: KnownTicket, org: KnownOrganization | None) -> bool:
    return can_view_ticket(actor, ticket, org)
