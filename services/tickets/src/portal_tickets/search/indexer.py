"""Keeps a ticket's searchable text current, in the same transaction as the change."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.search.backends import store
from portal_tickets.search.models import TicketSearch
from portal_tickets.ticket.models import Article, Ticket


async def index_new_ticket(session: AsyncSession, ticket: Ticket) -> None:
    await session.flush()  # the ticket row first: the document refers to it
    document = TicketSearch(
        ticket_id=ticket.id,
        public_text=f"{ticket.number}\n{ticket.title}\n{ticket.description}",
        internal_text="",
    )
    session.add(document)
    await store(session, document)


async def index_article(session: AsyncSession, article: Article) -> None:
    document = await session.scalar(
        select(TicketSearch).where(TicketSearch.ticket_id == article.ticket_id)
    )
    if document is None:
        return
    if article.internal:
        document.internal_text = f"{document.internal_text}\n{article.body}".strip()
    else:
        document.public_text = f"{document.public_text}\n{article.body}"
    await store(session, document)
