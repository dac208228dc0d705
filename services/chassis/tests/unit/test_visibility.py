"""The one ticket visibility rule, as tickets, files and notify apply it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest

from portal_chassis.visibility import can_see_ticket, org_wide

ORG = uuid.uuid4()
OTHER_ORG = uuid.uuid4()


@dataclass
class Reader:
    id: uuid.UUID
    organization_id: uuid.UUID | None
    is_staff: bool = False


@dataclass
class Parties:
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID | None
    contact_id: uuid.UUID | None


@dataclass
class Setting:
    org_wide_visibility: bool


CREATOR = Reader(uuid.uuid4(), ORG)
CONTACT = Reader(uuid.uuid4(), ORG)
COLLEAGUE = Reader(uuid.uuid4(), ORG)
STRANGER = Reader(uuid.uuid4(), OTHER_ORG)
AGENT = Reader(uuid.uuid4(), None, is_staff=True)
TICKET = Parties(ORG, CREATOR.id, CONTACT.id)


@pytest.mark.parametrize(
    ("reader", "setting", "sees"),
    [
        (AGENT, Setting(False), True),
        (CREATOR, Setting(False), True),
        (CONTACT, Setting(False), True),
        (COLLEAGUE, Setting(True), True),
        (COLLEAGUE, Setting(False), False),
        (COLLEAGUE, None, True),  # an organization not heard of yet: the default
        (STRANGER, Setting(True), False),
        (STRANGER, None, False),
    ],
)
def test_who_sees_a_ticket(reader: Reader, setting: Setting | None, sees: bool) -> None:
    assert can_see_ticket(reader, TICKET, setting) is sees


def test_a_customer_without_organization_sees_only_their_own() -> None:
    loner = Reader(uuid.uuid4(), None)
    assert not can_see_ticket(loner, Parties(None, uuid.uuid4(), uuid.uuid4()), None)
    assert can_see_ticket(loner, Parties(None, loner.id, uuid.uuid4()), None)


def test_org_wide_is_the_default() -> None:
    assert org_wide(None)
    assert not org_wide(Setting(False))
