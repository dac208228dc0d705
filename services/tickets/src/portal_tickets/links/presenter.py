"""The links a page of tickets shows, as far as the reader may see the other tickets:
related and merged tickets (`ticket_link`) and follow-ups (`Ticket.follow_up_of`)."""

from __future__ import annotations

import uuid

from portal_chassis.auth import Actor
from portal_tickets.links import rules
from portal_tickets.links.models import TicketLink
from portal_tickets.links.permissions import may_see_linked
from portal_tickets.links.schemas import LinkKindName, TicketLinkRead
from portal_tickets.ticket.models import Ticket
from portal_tickets.uow import TicketsUoW

Pair = tuple[uuid.UUID, LinkKindName, Ticket]  # (ticket shown, kind, other ticket)


async def _stored(uow: TicketsUoW, tickets: list[Ticket]) -> list[Pair]:
    ids = {t.id for t in tickets}
    rows = await uow.links.of_many(ids)
    others = await uow.links.tickets({rules.other_side(i, r) for r in rows for i in _sides(r, ids)})
    return [
        (i, rules.kind_on(i, row), others[rules.other_side(i, row)])
        for row in rows
        for i in _sides(row, ids)
        if rules.other_side(i, row) in others
    ]


def _sides(row: TicketLink, ids: set[uuid.UUID]) -> list[uuid.UUID]:
    """The tickets among `ids` that `row` links (both, when both are on the page)."""
    return [i for i in (row.ticket_id, row.other_id) if i in ids]


async def _continued(uow: TicketsUoW, tickets: list[Ticket]) -> list[Pair]:
    """The done tickets these continue (`follow_up_of`)."""
    previous = await uow.links.tickets_by_number(
        {t.follow_up_of for t in tickets if t.follow_up_of}
    )
    return [
        (t.id, "follow_up_of", previous[t.follow_up_of])
        for t in tickets
        if t.follow_up_of and t.follow_up_of in previous
    ]


async def _continuing(uow: TicketsUoW, tickets: list[Ticket]) -> list[Pair]:
    """The tickets that continue these (their follow-ups)."""
    by_number = {t.number: t for t in tickets}
    return [
        (by_number[later.follow_up_of].id, "follow_up", later)
        for later in await uow.tickets.follow_ups(list(by_number))
        if later.follow_up_of in by_number
    ]


async def ticket_links(
    uow: TicketsUoW, tickets: list[Ticket], actor: Actor, *, new: bool = False
) -> dict[uuid.UUID, list[TicketLinkRead]]:
    """Each ticket's links, by ticket id (call inside an entered unit of work). `new`:
    tickets opened by this very request, which nothing links to or continues yet; only
    the ticket a follow-up continues is read."""
    if not tickets:
        return {}
    pairs = await _continued(uow, tickets)
    if not new:
        pairs += await _stored(uow, tickets) + await _continuing(uow, tickets)
    org = await uow.directory.organization(actor.organization_id) if actor.organization_id else None
    found: dict[uuid.UUID, dict[tuple[str, LinkKindName], TicketLinkRead]] = {}
    for ticket_id, kind, other in pairs:
        if not may_see_linked(actor, other, org):
            continue  # never named, not even its number
        found.setdefault(ticket_id, {})[(other.number, kind)] = TicketLinkRead(
            number=other.number, title=other.title, kind=kind, portal_status=other.portal_status
        )
    return {
        ticket_id: sorted(links.values(), key=lambda link: (rules.ORDER[link.kind], link.number))
        for ticket_id, links in found.items()
    }
