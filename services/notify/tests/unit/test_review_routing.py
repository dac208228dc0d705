"""Who hears about a ticket in its organization's internal review, decided from the
events' facts over a directory held in memory: the organization's reviewers and the
ticket's own people, never the service desk, until the hand-over makes it the desk's new
ticket. Globex has no organization-wide visibility here."""

from __future__ import annotations

import string
import uuid
from datetime import UTC, datetime
from typing import Any, cast

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Organization, Person, TicketCard
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.notification import receipts, texts
from portal_notify.notification.facts import ReceivedTicketFacts
from portal_notify.notification.routing import Message, Router

GLOBEX = uuid.uuid4()
NOW = datetime.now(UTC)


def _person(
    username: str, *roles: str, org: uuid.UUID | None = GLOBEX, permissions: tuple[str, ...] = ()
) -> Person:
    return Person(
        id=uuid.uuid4(),
        username=username,
        display_name=username.title(),
        email=f"{username}@example.com",
        language="en",
        organization_id=org,
        roles=list(roles),
        permissions=list(permissions),
        active=True,
        preferences={},
        as_of=NOW,
    )


CARLA = _person("carla", "customer")  # the requester
DAN = _person("dan", "customer")  # a colleague
GINA = _person("gina", "customer")  # the contact
RITA = _person("rita", "customer", permissions=("review",))  # the reviewers
ROSA = _person("rosa", "customer_admin", permissions=("review",))
ROLF = _person("rolf", "customer", org=uuid.uuid4(), permissions=("review",))  # elsewhere
ERIK = _person("erik", "agent", org=None)
ADMIN = _person("admin", "admin", org=None)
PEOPLE = (CARLA, DAN, GINA, RITA, ROSA, ROLF, ERIK, ADMIN)


class Directory:
    """The directory's questions, answered from memory."""

    def __init__(self, card: TicketCard | None = None) -> None:
        self.by_id = {p.id: p for p in PEOPLE}
        self.org = Organization(id=GLOBEX, name="Globex", org_wide_visibility=False, as_of=NOW)
        self.cards = {card.id: card} if card else {}
        self.following: dict[uuid.UUID, set[uuid.UUID]] = {}

    async def people(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        return {i: self.by_id[i] for i in ids if i in self.by_id}

    async def organization(self, organization_id: uuid.UUID | None) -> Organization | None:
        return self.org if organization_id == GLOBEX else None

    async def with_role(self, role: str) -> list[Person]:
        return [p for p in self.by_id.values() if role in p.roles]

    async def reviewers(self, organization_id: uuid.UUID | None) -> list[Person]:
        return [
            p for p in self.by_id.values() if p.organization_id == organization_id and p.is_reviewer
        ]

    async def followers(self, ticket_id: uuid.UUID) -> set[uuid.UUID]:
        return self.following.get(ticket_id, set())

    async def card(self, ticket_id: uuid.UUID, number: str | None = None) -> TicketCard | None:
        return self.cards.get(ticket_id)

    async def card_by_number(self, number: str) -> TicketCard | None:
        return next((c for c in self.cards.values() if c.number == number), None)


TICKET_ID = uuid.uuid4()


def _facts(**changes: Any) -> dict[str, Any]:
    return {
        "id": str(TICKET_ID),
        "number": "T000077",
        "title": "VPN drops",
        "category": "incident",
        "priority": "P3",
        "status": "new",
        "portal_status": "in_progress",
        "organization_id": str(GLOBEX),
        "creator_id": str(CARLA.id),
        "contact_id": str(GINA.id),
        "assignee_id": None,
        "review": "internal",
        "actor_id": str(CARLA.id),
        "occurred_at": NOW.isoformat(),
        **changes,
    }


def _card(review: str | None) -> TicketCard:
    return TicketCard(
        id=TICKET_ID,
        number="T000077",
        title="VPN drops",
        organization_id=GLOBEX,
        creator_id=CARLA.id,
        contact_id=GINA.id,
        assignee_id=None,
        status="new",
        portal_status="in_progress",
        review=review,
        as_of=NOW,
    )


async def _route(event_type: str, data: dict[str, Any], card: TicketCard | None = None) -> Message:
    router = Router(cast(DirectoryRepository, Directory(card)))
    message = await router.route(Envelope(type=event_type, producer="tickets", data=data))
    assert message is not None
    return message


def _heard(message: Message) -> dict[str, list[str]]:
    return {part.key: [p.username for p in part.recipients] for part in message.parts}


async def test_a_ticket_opened_in_review_goes_to_its_organizations_reviewers() -> None:
    message = await _route("tickets.ticket.created", _facts())
    # Not the service desk; the reviewers of Globex (not those elsewhere); the contact
    # hears of the ticket opened for them as always.
    assert _heard(message) == {"ticket_review": ["rita", "rosa"], "ticket_created": ["gina"]}
    assert message.preference == "ticket_created"
    # A reviewer who opens one does not hear of it; a contact who reviews hears it once.
    by_rita = await _route(
        "tickets.ticket.created", _facts(creator_id=str(RITA.id), actor_id=str(RITA.id))
    )
    assert _heard(by_rita) == {"ticket_review": ["rosa"], "ticket_created": ["gina"]}
    for_rosa = await _route("tickets.ticket.created", _facts(contact_id=str(ROSA.id)))
    assert _heard(for_rosa) == {"ticket_review": ["rita", "rosa"], "ticket_created": []}


async def test_the_hand_over_is_the_desks_new_ticket_and_tells_the_customers() -> None:
    data = _facts(review=None, actor_id=str(RITA.id))
    message = await _route("tickets.ticket.handed_over", data)
    # As a new ticket reaches the desk: the agents' queue while nobody is assigned.
    assert _heard(message) == {
        "ticket_handed_over": ["erik"],
        "ticket_with_vendor": ["carla", "gina"],
    }
    assert message.organization == "Globex"
    assigned = await _route("tickets.ticket.handed_over", {**data, "assignee_id": str(ADMIN.id)})
    assert _heard(assigned)["ticket_handed_over"] == ["admin"]


async def test_sent_to_the_requester_and_back() -> None:
    asked = _facts(
        review="requester", actor_id=str(RITA.id), changes={"review": ["internal", "requester"]}
    )
    message = await _route("tickets.ticket.updated", asked)
    assert _heard(message) == {"review_requester": ["carla", "gina"]}
    answered = _facts(changes={"review": ["requester", "internal"]})
    message = await _route("tickets.ticket.updated", answered)
    assert _heard(message) == {"review_answered": ["rita", "rosa"]}
    assert message.preference == "ticket_reply"


def _article(author: Person, **changes: Any) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "ticket_id": str(TICKET_ID),
        "ticket_number": "T000077",
        "ticket_title": "VPN drops",
        "organization_id": str(GLOBEX),
        "kind": "message",
        "internal": False,
        "author_id": str(author.id),
        "author_is_staff": author.is_staff,
        "file_ids": [],
        "created_at": NOW.isoformat(),
        **changes,
    }


async def test_messages_in_review_reach_the_reviewers_and_the_tickets_people_only() -> None:
    in_review = _card("requester")
    by_carla = await _route("tickets.article.added", _article(CARLA), in_review)
    assert _heard(by_carla) == {"ticket_reply": ["gina", "rita", "rosa"]}
    by_rita = await _route("tickets.article.added", _article(RITA), in_review)
    assert _heard(by_rita) == {"ticket_reply": ["carla", "gina", "rosa"]}
    escalated = await _route("tickets.article.added", _article(CARLA, escalation=True), in_review)
    assert _heard(escalated) == {"ticket_escalated": []}
    # With the vendor, a customer's message goes to the desk and no longer to reviewers.
    handed = await _route("tickets.article.added", _article(CARLA), _card(None))
    assert _heard(handed) == {"ticket_reply": ["erik", "gina"]}


async def test_no_staff_member_hears_of_a_ticket_in_review() -> None:
    status = _facts(
        status="cancelled",
        portal_status="closed",
        previous_status="new",
        previous_portal_status="in_progress",
    )
    assigned = _facts(changes={"assignee_id": [None, str(ERIK.id)]})
    messages = [
        await _route("tickets.ticket.created", _facts(assignee_id=str(ERIK.id))),
        await _route("tickets.ticket.status_changed", status),
        await _route("tickets.ticket.updated", assigned),
        await _route("tickets.article.added", _article(CARLA, internal=True), _card("internal")),
    ]
    for message in messages:
        for part in message.parts:
            assert not [p for p in part.recipients if p.is_staff], part.key


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_review_notice_is_worded_in_both_languages() -> None:
    keys = [
        "ticket_review",
        "ticket_handed_over",
        "ticket_with_vendor",
        "review_requester",
        "review_answered",
        "ticket_received_review",
    ]
    for key in keys:
        en, de = texts.MESSAGES["en"][key], texts.MESSAGES["de"][key]
        assert en.keys() == de.keys() == {"title", "intro"}
        for part in ("title", "intro"):
            assert _placeholders(en[part]) == _placeholders(de[part]), (key, part)
    words = texts.message(
        "ticket_handed_over", "de", number="T1", title="VPN", actor="Rita", organization="Globex"
    )
    assert words["title"] == "Übergeben von Globex: VPN"


def test_the_confirmation_of_a_mail_in_review_does_not_promise_the_service_desk() -> None:
    facts = ReceivedTicketFacts(
        number="T000077", title="VPN drops", creator_id=CARLA.id, channel="email"
    )
    assert (receipt := receipts.of_ticket(facts)) is not None
    assert receipt.key == "ticket_received"
    in_review = receipts.of_ticket(facts.model_copy(update={"review": "internal"}))
    assert in_review is not None and in_review.key == "ticket_received_review"
    for language in texts.LANGUAGES:
        words = texts.message(in_review.key, language, number="T000077", title="VPN drops")
        assert "service desk" not in words["intro"].lower()
        # The way to add to the request by mail is told as for any other new ticket.
        notes = receipts.notes(in_review, language, "reply@example.com")
        assert any("reply@example.com" in note for note in notes)
