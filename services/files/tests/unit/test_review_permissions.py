"""A ticket in its organization's internal review, as the files service's one rule sees
it (pure functions, no I/O): the service desk reads none of its files until it is handed
over, the organization's reviewers read them even without organization-wide visibility."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.attachments.permissions import can_read_file, can_view_ticket
from portal_files.casefiles.permissions import can_use_case_files
from portal_files.directory.models import KnownOrganization, KnownTicket

NOW = datetime.now(UTC)
ORG = uuid.uuid4()
AGENT = Actor(id=uuid.uuid4(), username="a", organization_id=None, roles=frozenset({"agent"}))
REQUESTER = Actor(id=uuid.uuid4(), username="r", organization_id=ORG, roles=frozenset({"customer"}))
COLLEAGUE = Actor(id=uuid.uuid4(), username="c", organization_id=ORG, roles=frozenset({"customer"}))
REVIEWER = Actor(
    id=uuid.uuid4(),
    username="v",
    organization_id=ORG,
    roles=frozenset({"customer"}),
    permissions=frozenset({"review"}),
)
PRIVATE = KnownOrganization(id=ORG, org_wide_visibility=False, as_of=NOW)


def _ticket(review: str | None) -> KnownTicket:
    return KnownTicket(
        number=f"T{uuid.uuid4().int % 10**6:06d}",
        id=uuid.uuid4(),
        organization_id=ORG,
        creator_id=REQUESTER.id,
        contact_id=REQUESTER.id,
        review=review,
        as_of=NOW,
    )


def _file(uploader: Actor) -> StoredFile:
    return StoredFile(
        id=uuid.uuid4(), uploader_id=uploader.id, organization_id=ORG, purpose=Purpose.ATTACHMENT
    )


def test_a_ticket_in_review_is_its_organizations_alone() -> None:
    for review in ("internal", "requester"):
        ticket = _ticket(review)
        assert not can_view_ticket(AGENT, ticket, PRIVATE)
        assert not can_use_case_files(AGENT, ticket, PRIVATE)
        assert can_use_case_files(REQUESTER, ticket, PRIVATE)
        assert can_use_case_files(REVIEWER, ticket, PRIVATE)
        assert not can_use_case_files(COLLEAGUE, ticket, PRIVATE)
    handed_over = _ticket(None)
    assert can_use_case_files(AGENT, handed_over, PRIVATE)
    assert can_use_case_files(REVIEWER, handed_over, PRIVATE)


def test_the_service_desk_reads_no_file_of_a_ticket_in_review() -> None:
    row = _file(REQUESTER)
    in_review, with_vendor = _ticket("internal"), _ticket(None)
    assert not can_read_file(AGENT, row, [(in_review, PRIVATE)])
    assert can_read_file(REVIEWER, row, [(in_review, PRIVATE)])
    assert not can_read_file(COLLEAGUE, row, [(in_review, PRIVATE)])
    # Attached to a ticket with the vendor as well, it is the desk's through that one.
    assert can_read_file(AGENT, row, [(in_review, PRIVATE), (with_vendor, PRIVATE)])
    # Files on no ticket and the desk's own uploads stay readable to it.
    assert can_read_file(AGENT, row, [])
    assert can_read_file(AGENT, _file(AGENT), [(in_review, PRIVATE)])
