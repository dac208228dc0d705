"""The tickets service's visibility rule, as notify applies it to its recipients."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from portal_notify.directory.models import Organization, Person
from portal_notify.notification.facts import Ticket
from portal_notify.notification.permissions import can_view

ACME, GLOBEX = uuid.uuid4(), uuid.uuid4()
NOW = datetime.now(UTC)


def _person(*roles: str, organization_id: uuid.UUID | None = None) -> Person:
    return Person(id=uuid.uuid4(), organization_id=organization_id, roles=list(roles))


CREATOR = _person("customer", organization_id=ACME)
TICKET = Ticket(
    id=uuid.uuid4(),
    number="T000001",
    title="Printer",
    organization_id=ACME,
    creator_id=CREATOR.id,
    contact_id=CREATOR.id,
    assignee_id=None,
)


def _org(visible: bool) -> Organization:
    return Organization(id=ACME, org_wide_visibility=visible, as_of=NOW)


def test_staff_and_the_tickets_own_customers_always_see_it() -> None:
    assert can_view(_person("agent"), TICKET, _org(False))
    assert can_view(CREATOR, TICKET, _org(False))


def test_colleagues_see_it_while_their_organization_shares_tickets() -> None:
    colleague = _person("customer", organization_id=ACME)
    assert can_view(colleague, TICKET, _org(True))
    assert not can_view(colleague, TICKET, _org(False))
    assert can_view(colleague, TICKET, None)  # not heard of yet: the default, shared


def test_customers_of_another_organization_never_see_it() -> None:
    assert not can_view(_person("customer", organization_id=GLOBEX), TICKET, None)
