"""Who may see what in the files service: pure functions over the caller, a ticket as the
directory knows it, and a file with the tickets it belongs to. This is the service's one
visibility rule; case folders (`casefiles/permissions.py`) and the file exchange
(`exchange/permissions.py`) ask it too.

The ticket rule is the tickets service's own, applied to the copy its events keep here:
staff see every ticket once it is with the vendor (not while it is in its organization's
internal review); the ticket's creator and contact see it; other customers of its
organization see it while the organization has organization-wide visibility, and its
reviewers always. Every path
that concerns a ticket (its case folders, and the files attached to its messages) asks
these functions, and answers 404 exactly as for a ticket or file that does not exist.
"""

from __future__ import annotations

from collections.abc import Collection

from portal_chassis.auth import Actor
from portal_chassis.visibility import can_see_ticket
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.directory.models import KnownOrganization, KnownTicket


def can_view_ticket(actor: Actor, ticket: KnownTicket, org: KnownOrganization | None) -> bool:
    """The portal's one ticket visibility rule (`portal_chassis.visibility`), applied to
    this service's copy of the ticket and its organization."""
    return can_see_ticket(actor, ticket, org)


def can_read_file(
    actor: Actor,
    row: StoredFile,
    tickets: Collection[tuple[KnownTicket, KnownOrganization | None]],
) -> bool:
    """`tickets`: the ticket of the file's case folder and those with a public message it
    is attached to. An upload on no ticket stays with its uploader (and staff)."""
    if row.uploader_id is not None and row.uploader_id == actor.id:
        return True
    if actor.is_staff:
        # Staff read every file but those of tickets still in their organization's
        # internal review: until the hand-over such a ticket does not exist for them.
        return not tickets or any(can_view_ticket(actor, t, org) for t, org in tickets)
    if (
        row.purpose is Purpose.EXCHANGE
        and row.organization_id is not None
        and row.organization_id == actor.organization_id
    ):
        return True  # a file exchange belongs to the organization that made the link
    return any(can_view_ticket(actor, ticket, org) for ticket, org in tickets)
