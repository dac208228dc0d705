"""Who hears of a satisfaction survey's rating, decided from the event's own facts over a
directory held in memory: a rating that just turned low reaches the ticket's assignee
and its group's lead (without a group, or a group without a lead: the vendor's admins),
never a customer; any other answer reaches nobody."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Organization, Person
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.notification import texts
from portal_notify.notification.routing import ROUTED_EVENTS, Router

ACME = uuid.uuid4()
NOW = datetime.now(UTC)


def _person(username: str, *roles: str, organization_id: uuid.UUID | None = None) -> Person:
    return Person(
        id=uuid.uuid4(),
        username=username,
        display_name=username.title(),
        email=f"{username}@example.com",
        language="en",
        organization_id=organization_id,
        roles=list(roles),
        active=True,
        preferences={},
        as_of=NOW,
    )


class Directory:
    """The directory's questions the survey route asks, answered from memory."""

    def __init__(self, *people: Person) -> None:
        self.by_id = {p.id: p for p in people}

    async def people(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        return {i: self.by_id[i] for i in ids if i in self.by_id}

    async def organization(self, organization_id: uuid.UUID | None) -> Organization | None:
        return Organization(id=ACME, org_wide_visibility=True, as_of=NOW)

    async def with_role(self, role: str) -> list[Person]:
        return [p for p in self.by_id.values() if role in p.roles]

    async def followers(self, ticket_id: uuid.UUID) -> set[uuid.UUID]:
        return set()


BEN = _person("ben", "customer", organization_id=ACME)
ANNA = _person("anna", "customer_admin", organization_id=ACME)
ERIK = _person("erik", "agent")
FRIDA = _person("frida", "agent")
ADMIN = _person("admin", "admin")
EVERYONE = Directory(BEN, ANNA, ERIK, FRIDA, ADMIN)


def _answered(**changes: Any) -> Envelope:
    data = {
        "survey_id": str(uuid.uuid4()),
        "ticket_id": str(uuid.uuid4()),
        "number": "T000042",
        "title": "Printer on fire",
        "organization_id": str(ACME),
        "creator_id": str(BEN.id),
        "contact_id": str(BEN.id),
        "rating": 1,
        "previous_rating": None,
        "comment": "Nobody called back.",
        "low_rating": True,
        "assignee_id": str(ERIK.id),
        "group_id": str(uuid.uuid4()),
        "group_lead_id": str(FRIDA.id),
        "answered_at": NOW.isoformat(),
        **changes,
    }
    return Envelope(type="tickets.survey.answered", producer="tickets", data=data)


def _router(directory: Directory = EVERYONE) -> Router:
    return Router(cast(DirectoryRepository, directory))


def test_ratings_are_routed() -> None:
    assert "tickets.survey.answered" in ROUTED_EVENTS


async def test_a_low_rating_reaches_the_assignee_and_the_groups_lead() -> None:
    message = await _router().route(_answered())
    assert message is not None
    assert (message.key, message.preference, message.rating) == (
        "survey_low_rating",
        "survey_low_rating",
        1,
    )
    assert [p.username for p in message.recipients] == ["erik", "frida"]
    assert message.excerpt == "Nobody called back."
    assert message.actor_id == BEN.id
    words = texts.message(
        message.key,
        "de",
        number=message.number,
        title=message.title,
        actor="Ben",
        rating=message.rating,
    )
    assert words["title"] == "Schlechte Bewertung (1/5): Printer on fire"
    assert "mit 1 von 5 bewertet" in words["intro"]


async def test_without_a_group_or_a_lead_the_admins_hear_of_it() -> None:
    for changes in ({"group_id": None, "group_lead_id": None}, {"group_lead_id": None}):
        message = await _router().route(_answered(**changes))
        assert message is not None
        assert [p.username for p in message.recipients] == ["admin", "erik"], changes
    unassigned = await _router().route(_answered(assignee_id=None, group_id=None))
    assert unassigned is not None and [p.username for p in unassigned.recipients] == ["admin"]


async def test_ratings_not_turning_low_reach_nobody() -> None:
    for changes in (
        {"rating": 5, "low_rating": False},
        {"rating": 1, "previous_rating": 2, "low_rating": False},
    ):
        assert await _router().route(_answered(**changes)) is None


async def test_no_customer_hears_of_a_rating_even_when_named() -> None:
    # However the event names people, only staff are told.
    message = await _router().route(_answered(assignee_id=str(ANNA.id), group_lead_id=str(BEN.id)))
    assert message is not None and message.recipients == []
