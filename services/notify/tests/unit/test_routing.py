"""Who hears about what, decided from the event's own facts over a directory held in
memory: no database, no bus."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, cast

import pytest

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Organization, Person, TicketCard
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.notification.handlers import on_event
from portal_notify.notification.routing import ROUTED_EVENTS, ROUTES, Router

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
    """The directory's questions, answered from memory."""

    def __init__(self, *people: Person, org_wide_visibility: bool = True) -> None:
        self.by_id = {p.id: p for p in people}
        self.org = Organization(id=ACME, org_wide_visibility=org_wide_visibility, as_of=NOW)
        self.cards: dict[uuid.UUID, TicketCard] = {}
        self.following: dict[uuid.UUID, set[uuid.UUID]] = {}

    async def people(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        return {i: self.by_id[i] for i in ids if i in self.by_id}

    async def organization(self, organization_id: uuid.UUID | None) -> Organization | None:
        return self.org if organization_id == ACME else None

    async def with_role(self, role: str) -> list[Person]:
        return [p for p in self.by_id.values() if role in p.roles]

    async def followers(self, ticket_id: uuid.UUID) -> set[uuid.UUID]:
        return self.following.get(ticket_id, set())

    async def card(self, ticket_id: uuid.UUID, number: str | None = None) -> TicketCard | None:
        return self.cards.get(ticket_id)

    async def card_by_number(self, number: str) -> TicketCard | None:
        return next((c for c in self.cards.values() if c.number == number), None)


ANNA = _person("anna", "customer_admin", organization_id=ACME)
BEN = _person("ben", "customer", organization_id=ACME)
ERIK = _person("erik", "agent")
ADMIN = _person("admin", "admin")


def _router(directory: Directory) -> Router:
    return Router(cast(DirectoryRepository, directory))


def _ticket(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "number": "T000042",
        "title": "Printer on fire",
        "category": "incident",
        "priority": "P2",
        "status": "new",
        "portal_status": "in_progress",
        "organization_id": str(ACME),
        "creator_id": str(ANNA.id),
        "contact_id": str(ANNA.id),
        "assignee_id": None,
        "actor_id": str(ANNA.id),
        "occurred_at": NOW.isoformat(),
        **changes,
    }


def _event(event_type: str, data: dict[str, Any]) -> Envelope:
    return Envelope(type=event_type, producer=event_type.split(".")[0], data=data)


def test_the_notification_consumer_takes_exactly_the_routed_events() -> None:
    assert set(on_event.patterns) == set(ROUTED_EVENTS) == set(ROUTES)


async def test_a_new_ticket_reaches_the_desk_from_its_own_facts_without_a_card() -> None:
    directory = Directory(ANNA, BEN, ERIK, ADMIN)
    message = await _router(directory).route(_event("tickets.ticket.created", _ticket()))
    assert message is not None
    assert (message.key, message.number, message.title) == (
        "ticket_created",
        "T000042",
        "Printer on fire",
    )
    # The agents' queue (nobody assigned yet); never the customer who opened it.
    assert [p.username for p in message.recipients] == ["erik"]


async def test_a_visible_status_reaches_colleagues_only_while_tickets_are_shared() -> None:
    data = _ticket(
        status="resolved",
        portal_status="resolved",
        previous_status="open",
        previous_portal_status="in_progress",
        actor_id=str(ERIK.id),
        creator_id=str(BEN.id),
        contact_id=str(BEN.id),
    )
    ticket_id = uuid.UUID(data["id"])
    for visible, expected in ((True, ["anna", "ben"]), (False, ["ben"])):
        directory = Directory(ANNA, BEN, ERIK, org_wide_visibility=visible)
        directory.following[ticket_id] = {ANNA.id}
        message = await _router(directory).route(_event("tickets.ticket.status_changed", data))
        assert message is not None
        assert [p.username for p in message.recipients] == expected


async def test_an_update_without_a_new_assignee_tells_nobody() -> None:
    router = _router(Directory(ANNA, ERIK))
    changes = {"changes": {"priority": ["P3", "P2"]}}
    assert await router.route(_event("tickets.ticket.updated", _ticket(**changes))) is None
    assigned = {"changes": {"assignee_id": [None, str(ERIK.id)]}}
    message = await router.route(_event("tickets.ticket.updated", _ticket(**assigned)))
    assert message is not None and [p.username for p in message.recipients] == ["erik"]


async def test_a_message_on_a_ticket_not_known_yet_is_retried() -> None:
    data = {
        "id": str(uuid.uuid4()),
        "ticket_id": str(uuid.uuid4()),
        "ticket_number": "T000043",
        "ticket_title": "Unknown",
        "organization_id": str(ACME),
        "kind": "message",
        "internal": False,
        "author_id": str(ANNA.id),
        "author_is_staff": False,
        "file_ids": [],
        "created_at": NOW.isoformat(),
    }
    with pytest.raises(LookupError):
        await _router(Directory(ANNA)).route(_event("tickets.article.added", data))


async def test_events_nobody_hears_about_are_not_routed() -> None:
    stored = {"id": str(uuid.uuid4()), "name": "a.txt", "purpose": "attachment"}
    router = _router(Directory(ANNA))
    assert await router.route(_event("files.file.stored", stored)) is None
    assert await router.route(_event("tickets.ticket.closed", _ticket())) is None


async def test_the_creator_of_a_ticket_opened_by_mail_is_left_to_its_confirmation() -> None:
    directory = Directory(ANNA, BEN, ERIK)
    # Opened by mail: even when the event names no actor, the creator hears of it only
    # through the confirmation of their mail; the desk hears as always.
    data = _ticket(creator_id=str(BEN.id), contact_id=str(BEN.id), actor_id=None)
    by_mail = await _router(directory).route(
        _event("tickets.ticket.created", {**data, "channel": "email"})
    )
    assert by_mail is not None and [p.username for p in by_mail.recipients] == ["erik"]
    # Through the portal nothing changes: the contact hears of a ticket opened for them.
    in_portal = await _router(directory).route(_event("tickets.ticket.created", data))
    assert in_portal is not None
    assert [p.username for p in in_portal.recipients] == ["ben", "erik"]


async def test_a_ticket_an_agent_opens_for_a_caller_reaches_its_contact() -> None:
    """The agent who took the call is its creator and needs no word of it; the customer it
    was opened for hears of it (by any channel, mail included), the desk as ever."""
    frida = _person("frida", "agent")
    directory = Directory(ANNA, BEN, ERIK, frida)
    on_behalf = _ticket(creator_id=str(ERIK.id), contact_id=str(BEN.id), actor_id=str(ERIK.id))
    for channel in ("phone", "email", "on_site"):
        message = await _router(directory).route(
            _event("tickets.ticket.created", {**on_behalf, "channel": channel})
        )
        assert message is not None and message.key == "ticket_created"
        assert [p.username for p in message.recipients] == ["ben", "frida"], channel
