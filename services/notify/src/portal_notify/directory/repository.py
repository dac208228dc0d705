from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readmodel import upsert_latest
from portal_chassis.readthrough import Source
from portal_notify.directory.models import Organization, Person, TicketCard, TicketFollower


def _card_fields(answer: dict[str, Any]) -> dict[str, Any]:
    org, assignee = answer.get("organization_id"), answer.get("assignee_id")
    return {
        "id": uuid.UUID(answer["id"]),
        "number": answer["number"],
        "title": answer["title"],
        "organization_id": uuid.UUID(org) if org else None,
        "creator_id": uuid.UUID(answer["creator_id"]),
        "contact_id": uuid.UUID(answer["contact_id"]),
        "assignee_id": uuid.UUID(assignee) if assignee else None,
        "status": answer["status"],
        "portal_status": answer["portal_status"],
        "review": answer.get("review"),
        "as_of": datetime.fromisoformat(answer["as_of"]),
    }


# A ticket whose own events have not arrived yet, while another's about it has (a case
# file, a follower): asked of the tickets service (portal_chassis.readthrough) instead of
# dropping the notice or retrying the event into the dead-letter queue.
TICKETS = Source(
    owner="tickets",
    path="/internal/v1/tickets/{key}/audience",
    model=TicketCard,
    fields=_card_fields,
)


class DirectoryRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        fetch_card: Callable[[str], Awaitable[TicketCard | None]] | None = None,
    ) -> None:
        self.session = session
        self._fetch_card = fetch_card

    async def upsert(
        self, model: type[Person] | type[TicketCard] | type[Organization], **fields: Any
    ) -> bool:
        return await upsert_latest(self.session, model, **fields)

    async def organization(self, organization_id: uuid.UUID | None) -> Organization | None:
        if organization_id is None:
            return None
        return await self.session.get(Organization, organization_id)

    async def people(self, ids: set[uuid.UUID]) -> dict[uuid.UUID, Person]:
        if not ids:
            return {}
        rows = await self.session.scalars(select(Person).where(Person.id.in_(ids)))
        return {p.id: p for p in rows}

    async def with_role(self, role: str) -> list[Person]:
        # Roles are a short JSON list; staff are few, so filtering here is cheap and portable.
        rows = await self.session.scalars(select(Person).where(Person.active.is_(True)))
        return [p for p in rows if role in p.roles]

    async def reviewers(self, organization_id: uuid.UUID | None) -> list[Person]:
        """The organization's active reviewers (customers with the `review` permission)."""
        if organization_id is None:
            return []
        rows = await self.session.scalars(
            select(Person).where(Person.organization_id == organization_id, Person.active.is_(True))
        )
        # Permissions are a short JSON list: filtered here, portably (as roles are).
        return [p for p in rows if p.is_reviewer]

    async def card(self, ticket_id: uuid.UUID, number: str | None = None) -> TicketCard | None:
        """The ticket `ticket_id`; given its `number`, asked of the tickets service when not
        heard of yet."""
        card = await self.session.get(TicketCard, ticket_id)
        if card is None and number is not None:
            card = await self._fetch(number)
        return card if card is not None and card.id == ticket_id else None

    async def card_by_number(self, number: str) -> TicketCard | None:
        card = await self.session.scalar(select(TicketCard).where(TicketCard.number == number))
        return card if card is not None else await self._fetch(number)

    async def _fetch(self, number: str) -> TicketCard | None:
        return await self._fetch_card(number) if self._fetch_card is not None else None

    async def followers(self, ticket_id: uuid.UUID) -> set[uuid.UUID]:
        rows = await self.session.scalars(
            select(TicketFollower.user_id).where(TicketFollower.ticket_id == ticket_id)
        )
        return set(rows)

    async def follow(self, ticket_id: uuid.UUID, user_id: uuid.UUID) -> None:
        if await self.session.get(TicketFollower, (ticket_id, user_id)) is None:
            self.session.add(TicketFollower(ticket_id=ticket_id, user_id=user_id))

    async def unfollow(self, ticket_id: uuid.UUID, user_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(TicketFollower).where(
                TicketFollower.ticket_id == ticket_id, TicketFollower.user_id == user_id
            )
        )
