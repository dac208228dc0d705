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
    is_reviewer: bool = False


@dataclass
class Parties:
    organization_id: uuid.UUID | None
    creator_id: uuid.UUID | None
    contact_id: uuid.UUID | None
    review: str | None = None


@dataclass
class Setting:
    org_wide_visibility: bool


CREATOR = Reader(uuid.uuid4(), ORG)
CONTACT = Reader(uuid.uuid4(), ORG)
COLLEAGUE = Reader(uuid.uuid4(), ORG)
STRANGER = Reader(uuid.uuid4(), OTHER_ORG)
AGENT = Reader(uuid.uuid4(), None, is_staff=True)
REVIEWER = Reader(uuid.uuid4(), ORG, is_reviewer=True)
FOREIGN_REVIEWER = Reader(uuid.uuid4(), OTHER_ORG, is_reviewer=True)
TICKET = Parties(ORG, CREATOR.id, CONTACT.id)
IN_REVIEW = Parties(ORG, CREATOR.id, CONTACT.id, review="internal")


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


@pytest.mark.parametrize(
    ("reader", "ticket", "sees"),
    [
        (AGENT, IN_REVIEW, False),  # the service desk: not before the hand-over
        (AGENT, Parties(ORG, CREATOR.id, CONTACT.id, review="requester"), False),
        (CREATOR, IN_REVIEW, True),
        (REVIEWER, IN_REVIEW, True),  # also without organization-wide visibility
        (REVIEWER, TICKET, True),  # the first level follows its organization's tickets
        (COLLEAGUE, IN_REVIEW, False),
        (FOREIGN_REVIEWER, IN_REVIEW, False),
    ],
    ids=[
        "agent",
        "agent-requester",
        "creator",
        "reviewer",
        "reviewer-handed",
        "colleague",
        "foreign",
    ],
)
def test_a_ticket_in_review_is_its_organizations_alone(
    reader: Reader, ticket: Parties, sees: bool
) -> None:
    assert can_see_ticket(reader, ticket, Setting(False)) is sees


def test_a_customer_without_organization_sees_only_their_own() -> None:
    loner = Reader(uuid.uuid4(), None)
    assert not can_see_ticket(loner, Parties(None, uuid.uuid4(), uuid.uuid4()), None)
    assert can_see_ticket(loner, Parties(None, loner.id, uuid.uuid4()), None)


def test_org_wide_is_the_default() -> None:
    assert org_wide(None)
    assert not org_wide(Setting(False))
