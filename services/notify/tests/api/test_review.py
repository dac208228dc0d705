"""A ticket in its organization's internal review, told through the real notify service:
its reviewers and its own people hear of it in the app and by mail, the service desk
hears nothing (no notification, no presence) until the hand-over, which reaches the
agents as their new ticket. Globex has no organization-wide visibility."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import pytest
from portal_fixtures import SmtpSink
from portal_harness import PASSWORD, Portal
from sqlalchemy import select

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Person
from portal_notify.mail.models import OutgoingMail
from portal_notify.notification.models import Notification

pytestmark = pytest.mark.integration

PRESENCE = "/api/v1/notifications/presence"


async def _people(world: Portal) -> None:
    """Rita reviews Globex's tickets; Gina is a colleague named as a ticket's contact;
    Adam is an administrator of the service desk."""
    r = await world.client.post(
        "/api/v1/admin/users",
        json={
            "username": "rita",
            "email": "rita@example.com",
            "roles": ["customer"],
            "permissions": ["review"],
            "organization_id": world.orgs["globex"],
            "password": PASSWORD,
            "display_name": "Rita",
        },
        headers=await world.admin(),
    )
    assert r.status_code == 201, r.text
    world.ids["rita"] = r.json()["id"]
    world.ids["gina"] = await world.user("gina", ["customer"], world.orgs["globex"])
    world.ids["adam"] = await world.user("adam", ["admin"], None)
    await world.settle()  # notify learns of them from identity's events


class Ticket:
    """A Globex ticket as the tickets service announces it: Carla's, Gina the contact."""

    def __init__(self, world: Portal) -> None:
        self.world = world
        self.number = f"T8{random.randrange(10**6):06d}"
        self.at = datetime.now(UTC) - timedelta(minutes=10)
        self.facts: dict[str, Any] = {
            "id": str(uuid.uuid4()),
            "number": self.number,
            "title": "VPN drops every hour",
            "category": "incident",
            "priority": "P3",
            "status": "new",
            "portal_status": "in_progress",
            "organization_id": world.orgs["globex"],
            "creator_id": world.ids["carla"],
            "contact_id": world.ids["gina"],
            "assignee_id": None,
            "review": "internal",
        }

    async def _send(self, event_type: str, data: dict[str, Any]) -> None:
        self.at += timedelta(seconds=1)
        await self.world.notify.dispatcher(
            Envelope(type=event_type, producer="tickets", occurred_at=self.at, data=data)
        )
        await self.world.settle()

    async def event(self, event_type: str, actor: str, **changes: Any) -> None:
        self.facts.update(changes)
        data = {
            **self.facts,
            "actor_id": self.world.ids[actor],
            "occurred_at": (self.at + timedelta(seconds=1)).isoformat(),
        }
        await self._send(event_type, data)

    async def message(self, author: str, body: str) -> None:
        await self._send(
            "tickets.article.added",
            {
                "id": str(uuid.uuid4()),
                "ticket_id": self.facts["id"],
                "ticket_number": self.number,
                "ticket_title": self.facts["title"],
                "organization_id": self.facts["organization_id"],
                "kind": "message",
                "internal": False,
                "author_id": self.world.ids[author],
                "author_is_staff": False,
                "file_ids": [],
                "created_at": (self.at + timedelta(seconds=1)).isoformat(),
                "excerpt": body,
            },
        )


async def _heard(world: Portal, user: str) -> list[tuple[str, str]]:
    """(kind, title) of `user`'s notifications, newest first."""
    r = await world.client.get("/api/v1/notifications", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [(n["kind"], n["title"]) for n in r.json()["items"]]


async def _kinds(world: Portal, user: str) -> list[str]:
    return [kind for kind, _ in await _heard(world, user)]


async def _mails(world: Portal, user: str) -> list[OutgoingMail]:
    async with world.notify.session_factory() as s:
        rows = await s.scalars(
            select(OutgoingMail)
            .where(OutgoingMail.recipient_id == uuid.UUID(world.ids[user]))
            .order_by(OutgoingMail.created_at)
        )
        return list(rows)


async def _staff_heard(world: Portal) -> list[str]:
    """The kinds of every notification and mail any staff member got."""
    async with world.notify.session_factory() as s:
        staff = [p.id for p in await s.scalars(select(Person)) if p.is_staff]
        assert {uuid.UUID(world.ids[u]) for u in ("erik", "adam")} <= set(staff)
        notices = await s.scalars(select(Notification.kind).where(Notification.user_id.in_(staff)))
        mails = await s.scalars(
            select(OutgoingMail.kind).where(OutgoingMail.recipient_id.in_(staff))
        )
        return [*notices, *mails]


def _text(sink: SmtpSink, user: str, subject: str) -> str:
    """The plain text of the one mail to `user` the SMTP server received under `subject`."""
    [mail] = [
        m for m in sink.mails() if m["To"] == f"{user}@example.com" and subject in m["Subject"]
    ]
    assert isinstance(mail, EmailMessage)
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


async def _present(world: Portal, user: str, number: str) -> int:
    r = await world.client.put(
        f"{PRESENCE}/{number}", json={"typing": False}, headers=await world.as_(user)
    )
    return r.status_code


async def test_a_ticket_in_review_is_heard_by_its_reviewers_and_never_by_the_desk(
    mail_world: Portal, smtp_sink: SmtpSink
) -> None:
    world = mail_world
    await _people(world)
    ticket = Ticket(world)
    await ticket.event("tickets.ticket.created", "carla")
    await ticket.message("carla", "It happens on every laptop.")
    await ticket.message("rita", "Does it happen at home too?")
    await ticket.event(
        "tickets.ticket.updated",
        "rita",
        review="requester",
        changes={"review": ["internal", "requester"]},
    )
    await ticket.message("carla", "Only in the office.")
    await ticket.event(
        "tickets.ticket.updated",
        "carla",
        review="internal",
        changes={"review": ["requester", "internal"]},
    )

    # The reviewer hears of the new ticket, the messages and the requester's answer.
    assert await _heard(world, "rita") == [
        ("review_answered", "The requester answered: VPN drops every hour"),
        ("ticket_reply", "New reply: VPN drops every hour"),
        ("ticket_reply", "New reply: VPN drops every hour"),
        ("ticket_review", "For your review: VPN drops every hour"),
    ]
    assert await _kinds(world, "carla") == ["review_requester", "ticket_reply"]
    assert await _kinds(world, "gina") == [
        "ticket_reply",
        "review_requester",
        "ticket_reply",
        "ticket_reply",
        "ticket_created",
    ]
    assert [m.kind for m in await _mails(world, "rita")] == [
        "ticket_review",
        "ticket_reply",
        "ticket_reply",
        "review_answered",
    ]
    asked = _text(smtp_sink, "carla", "Please check: VPN drops every hour")
    assert "Rita of your IT asks you to check ticket" in asked
    # The service desk and a colleague without organization-wide visibility hear nothing;
    # an agent cannot even be present on it.
    assert await _staff_heard(world) == []
    assert await _heard(world, "dan") == [] and await _mails(world, "dan") == []
    assert await _present(world, "erik", ticket.number) == 404

    await ticket.event("tickets.ticket.handed_over", "rita", review=None)
    # The agents' queue hears of it as of a new ticket, named after the organization.
    [(kind, title)] = await _heard(world, "erik")
    assert (kind, title) == ("ticket_handed_over", "Handed over by Globex: VPN drops every hour")
    assert [m.kind for m in await _mails(world, "erik")] == ["ticket_handed_over"]
    text = _text(smtp_sink, "erik", f"[{ticket.number}] {title}")
    assert "Rita handed ticket" in text and "the first-level review at Globex is done" in text
    assert sorted(await _staff_heard(world)) == ["ticket_handed_over"] * 2  # his notice, mail
    for user in ("carla", "gina"):
        assert (await _kinds(world, user))[0] == "ticket_with_vendor", user
    assert (await _kinds(world, "rita"))[0] == "review_answered"  # nothing new for her
    assert await _present(world, "erik", ticket.number) == 200

    # With the vendor now, the customer's next message goes to the desk, not the reviewer.
    await ticket.message("carla", "Any news?")
    assert (await _kinds(world, "erik"))[0] == "ticket_reply"
    assert (await _kinds(world, "rita"))[0] == "review_answered"


async def test_a_ticket_opened_by_mail_in_review_is_confirmed_without_the_service_desk(
    mail_world: Portal, smtp_sink: SmtpSink
) -> None:
    world = mail_world
    await _people(world)
    ticket = Ticket(world)
    await ticket.event("tickets.ticket.created", "carla", channel="email")
    assert [m.kind for m in await _mails(world, "carla")] == ["ticket_received_review"]
    receipt = _text(smtp_sink, "carla", "We received your request: VPN drops every hour")
    assert "your organization's IT reviews it first" in receipt
    assert "service desk" not in receipt.lower()
    assert await _kinds(world, "rita") == ["ticket_review"]
    assert await _staff_heard(world) == []
