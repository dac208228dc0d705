from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_chassis.readthrough import Source
from portal_files.directory.models import KnownOrganization, KnownTicket


def _ticket_fields(answer: dict[str, Any]) -> dict[str, Any]:
    org = answer.get("organization_id")
    return {
        "number": answer["number"],
        "id": uuid.UUID(answer["id"]),
        "organization_id": uuid.UUID(org) if org else None,
        "creator_id": uuid.UUID(answer["creator_id"]),
        "contact_id": uuid.UUID(answer["contact_id"]),
        "review": answer.get("review"),
        "as_of": datetime.fromisoformat(answer["as_of"]),
    }


# A ticket created a moment ago, whose events are still on their way: asked of the
# tickets service (portal_chassis.readthrough), so its case folders and files answer.
TICKETS = Source(
    owner="tickets",
    path="/internal/v1/tickets/{key}/audience",
    model=KnownTicket,
    key="number",
    fields=_ticket_fields,
)


class DirectoryRepository:
    def __init__(
        self,
        session: AsyncSession,
        *,
        fetch_ticket: Callable[[str], Awaitable[KnownTicket | None]] | None = None,
    ) -> None:
        self.session = session
        self._fetch_ticket = fetch_ticket

    async def tickets(
        self, numbers: Collection[str]
    ) -> list[tuple[KnownTicket, KnownOrganization | None]]:
        """The tickets among `numbers`, each with its organization (None while identity
        has not told of it). One not heard of yet is asked of the tickets service; one it
        does not know either is left out, as if it did not exist."""
        if not numbers:
            return []
        rows = await self.session.execute(
            select(KnownTicket, KnownOrganization)
            .outerjoin(KnownOrganization, KnownOrganization.id == KnownTicket.organization_id)
            .where(KnownTicket.number.in_(set(numbers)))
        )
        found: list[tuple[KnownTicket, KnownOrganization | None]] = [
            (ticket, org) for ticket, org in rows
        ]
        missing = set(numbers) - {ticket.number for ticket, _ in found}
        if self._fetch_ticket is not None:
            for number in sorted(missing):
                ticket = await self._fetch_ticket(number)
                if ticket is not None:
                    found.append((ticket, await self._organization(ticket.organization_id)))
        return found

    async def _organization(self, id: uuid.UUID | None) -> KnownOrganization | None:
        return await self.session.get(KnownOrganization, id) if id is not None else None
