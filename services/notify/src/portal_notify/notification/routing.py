"""Who hears about what: from an event to the message and its recipients.

The other party hears about a change, never the person who made it: customers about
the service desk's public replies and status changes they can see, the service desk
(the assignee, or every agent while nobody is assigned) about customers' messages, new
tickets and escalations. Followers hear what the ticket's own people hear. Internal
notes reach staff only, and a customer hears only about tickets they can open (the
tickets service's visibility rule, checked anew for every event: a follower whose
organization turned organization-wide visibility off, or who moved to another
organization, hears nothing more).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from portal_chassis.envelope import Envelope
from portal_notify.directory.models import Person, TicketCard
from portal_notify.directory.repository import DirectoryRepository
from portal_notify.notification.permissions import can_view


@dataclass
class Message:
    key: str  # the entry in texts.MESSAGES
    preference: str  # the profile switch that turns its e-mail on or off
    number: str
    title: str
    actor_id: uuid.UUID | None
    recipients: list[Person]
    excerpt: str = ""
    status: str | None = None  # internal status; customers are shown the portal status
    portal_status: str | None = None
    file: str | None = None


def _uuid(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


class Router:
    def __init__(self, directory: DirectoryRepository) -> None:
        self.directory = directory

    async def route(self, event: Envelope) -> Message | None:
        handler = getattr(self, "_" + event.type.replace(".", "_"), None)
        return await handler(event.data) if handler else None

    # --- audiences -------------------------------------------------------------------

    async def _participants(self, card: TicketCard) -> set[uuid.UUID]:
        ids = {card.creator_id, card.contact_id} | await self.directory.followers(card.id)
        if card.assignee_id is not None:
            ids.add(card.assignee_id)
        return ids

    async def _desk(self, card: TicketCard) -> set[uuid.UUID]:
        """The assignee, or the agents' queue while nobody is assigned."""
        if card.assignee_id is not None:
            return {card.assignee_id}
        return {p.id for p in await self.directory.with_role("agent")}

    async def _people(
        self,
        card: TicketCard,
        ids: Iterable[uuid.UUID],
        *,
        actor_id: uuid.UUID | None,
        staff_only: bool = False,
    ) -> list[Person]:
        people = await self.directory.people(set(ids) - {actor_id})
        org = await self.directory.organization(card.organization_id)
        chosen = []
        for person in people.values():
            if not person.active or not can_view(person, card, org):
                continue
            if staff_only and not person.is_staff:
                continue
            chosen.append(person)
        return sorted(chosen, key=lambda p: p.username)

    async def _card(self, ticket_id: str, number: str) -> TicketCard:
        card = await self.directory.card(uuid.UUID(ticket_id), number)
        if card is None:
            # Not even the tickets service knows it (yet): the bus retries.
            raise LookupError(f"ticket {number} not known yet")
        return card

    async def _message(
        self,
        card: TicketCard,
        key: str,
        ids: set[uuid.UUID],
        *,
        actor_id: uuid.UUID | None,
        preference: str | None = None,
        staff_only: bool = False,
        **details: str | None,
    ) -> Message:
        return Message(
            key=key,
            preference=preference or key,
            number=card.number,
            title=card.title,
            actor_id=actor_id,
            recipients=await self._people(card, ids, actor_id=actor_id, staff_only=staff_only),
            **details,  # type: ignore[arg-type]
        )

    # --- events ----------------------------------------------------------------------

    async def _tickets_ticket_created(self, data: dict) -> Message:
        card = await self._card(data["id"], data["number"])
        ids = {card.contact_id} | await self._desk(card)
        return await self._message(card, "ticket_created", ids, actor_id=_uuid(data["actor_id"]))

    async def _tickets_article_added(self, data: dict) -> Message:
        card = await self._card(data["ticket_id"], data["ticket_number"])
        author = uuid.UUID(data["author_id"])
        excerpt = data.get("excerpt", "")
        if data["internal"]:
            ids = await self._participants(card)
            return await self._message(
                card,
                "ticket_note",
                ids,
                actor_id=author,
                preference="ticket_reply",
                staff_only=True,
            )
        if data.get("escalation"):
            ids = await self._desk(card) | await self._participants(card)
            return await self._message(
                card, "ticket_escalated", ids, actor_id=author, staff_only=True, excerpt=excerpt
            )
        ids = await self._participants(card)
        if not data["author_is_staff"]:
            ids |= await self._desk(card)
        return await self._message(card, "ticket_reply", ids, actor_id=author, excerpt=excerpt)

    async def _tickets_ticket_status_changed(self, data: dict) -> Message:
        card = await self._card(data["id"], data["number"])
        # Internal steps (new → open → waiting internally) change nothing customers see.
        customers_see = data["portal_status"] != data["previous_portal_status"]
        return await self._message(
            card,
            "ticket_status",
            await self._participants(card),
            actor_id=_uuid(data["actor_id"]),
            staff_only=not customers_see,
            status=data["status"],
            portal_status=data["portal_status"],
        )

    async def _tickets_ticket_updated(self, data: dict) -> Message | None:
        change = data.get("changes", {}).get("assignee_id")
        if not change or not change[1]:
            return None
        card = await self._card(data["id"], data["number"])
        return await self._message(
            card,
            "ticket_assigned",
            {uuid.UUID(change[1])},
            actor_id=_uuid(data["actor_id"]),
            preference="ticket_status",
            staff_only=True,
        )

    async def _tickets_sla_breached(self, data: dict) -> Message:
        card = await self._card(data["id"], data["number"])
        ids = {p.id for p in await self.directory.with_role("admin")}
        if card.assignee_id is not None:
            ids.add(card.assignee_id)
        return await self._message(card, "sla_breach", ids, actor_id=None, staff_only=True)

    async def _files_file_stored(self, data: dict) -> Message | None:
        if data.get("purpose") != "case_file" or not data.get("ticket_number"):
            return None
        card = await self.directory.card_by_number(data["ticket_number"])
        if card is None:
            return None  # a ticket not even the tickets service knows
        return await self._message(
            card,
            "case_file",
            await self._participants(card),
            actor_id=_uuid(data.get("uploader_id")),
            file=data["name"],
        )


ROUTED_EVENTS = (
    "tickets.ticket.created",
    "tickets.article.added",
    "tickets.ticket.status_changed",
    "tickets.ticket.updated",
    "tickets.sla.breached",
    "files.file.stored",
)
