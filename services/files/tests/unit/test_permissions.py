"""Who sees a ticket's case files and who reads a file (pure functions, no I/O)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_chassis.auth import Actor
from portal_files.attachments.models import Purpose, StoredFile
from portal_files.attachments.permissions import can_read_file, can_view_ticket
from portal_files.directory.models import KnownOrganization, KnownTicket

NOW = datetime.now(UTC)
ORG = uuid.uuid4()


def _customer(org: uuid.UUID | None = ORG) -> Actor:
    return Actor(id=uuid.uuid4(), username="c", organization_id=org, roles=frozenset({"customer"}))


def _ticket(creator: Actor, contact: Actor | None = None) -> KnownTicket:
    return KnownTicket(
        number="T000001",
        id=uuid.uuid4(),
        organization_id=ORG,
        creator_id=creator.id,
        contact_id=(contact or creator).id,
        as_of=NOW,
    )


def _org(org_wide: bool) -> KnownOrganization:
    return KnownOrganization(id=ORG, org_wide_visibility=org_wide, as_of=NOW)


def _file(uploader: Actor, purpose: Purpose = Purpose.ATTACHMENT) -> StoredFile:
    return StoredFile(
        id=uuid.uuid4(), uploader_id=uploader.id, organization_id=ORG, purpose=purpose
    )


def test_the_tickets_rule() -> None:
    creator, contact, colleague = _customer(), _customer(), _customer()
    agent = Actor(id=uuid.uuid4(), username="a", organization_id=None, roles=frozenset({"agent"}))
    ticket = _ticket(creator, contact)
    for org in (_org(False), _org(True), None):
        assert can_view_ticket(creator, ticket, org) and can_view_ticket(contact, ticket, org)
        assert can_view_ticket(agent, ticket, org)
        assert not can_view_ticket(_customer(uuid.uuid4()), ticket, org)
    assert not can_view_ticket(colleague, ticket, _org(False))
    assert can_view_ticket(colleague, ticket, _org(True))
    assert can_view_ticket(colleague, ticket, None)  # the default until identity says


def test_tickets_known_from_before_without_their_people() -> None:
    creator = _customer()
    legacy = _ticket(creator)
    legacy.creator_id = legacy.contact_id = None
    assert not can_view_ticket(creator, legacy, _org(False))
    assert can_view_ticket(creator, legacy, _org(True))


def test_a_file_follows_its_tickets() -> None:
    uploader, colleague = _customer(), _customer()
    row = _file(uploader)
    assert can_read_file(uploader, row, [])
    assert not can_read_file(colleague, row, [])  # on no ticket yet
    own = _ticket(uploader)
    assert not can_read_file(colleague, row, [(own, _org(False))])
    assert can_read_file(colleague, row, [(own, _org(True))])
    theirs = _ticket(_customer(), contact=colleague)
    assert can_read_file(colleague, row, [(own, _org(False)), (theirs, _org(False))])


def test_a_file_exchange_belongs_to_its_organization() -> None:
    row = _file(_customer(), Purpose.EXCHANGE)
    assert can_read_file(_customer(), row, [])
    assert not can_read_file(_customer(uuid.uuid4()), row, [])
