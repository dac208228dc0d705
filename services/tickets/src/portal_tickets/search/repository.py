"""The search index: keeps a ticket's searchable text current in the same transaction as
the change, and finds the tickets whose text matches."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from portal_tickets.search.backends import matching_tickets, store
from portal_tickets.search.models import TicketSearch
from portal_tickets.search.terms import Term
from portal_tickets.ticket.models import Article, Ticket

FEW_MATCHES = 1000


class SearchRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def index_new_ticket(self, ticket: Ticket) -> None:
        await self.session.flush()  # the ticket row first: the document refers to it
        document = TicketSearch(
            ticket_id=ticket.id,
            public_text=f"{ticket.number}\n{ticket.title}\n{ticket.description}",
            internal_text="",
        )
        self.session.add(document)
        await store(self.session, document)

    async def index_article(self, article: Article) -> None:
        document = await self.session.scalar(
            select(TicketSearch).where(TicketSearch.ticket_id == article.ticket_id)
        )
        if document is None:
            return
        if article.internal:
            document.internal_text = f"{document.internal_text}\n{article.body}".strip()
        else:
            document.public_text = f"{document.public_text}\n{article.body}"
        await store(self.session, document)

    async def matching(self, terms: list[Term], *, internal: bool) -> ColumnElement[bool]:
        """The condition "the ticket's text matches every term" (`internal`: internal
        notes count too)."""
        dialect = self.session.get_bind().dialect.name
        matches = matching_tickets(dialect, terms, internal=internal)
        # Few matches: hand the planner their ids, so that it starts from them instead of
        # walking every ticket newest first looking for them (its estimates for rare
        # words are no help there). Many: walking newest first finds a page at once.
        few = list(await self.session.scalars(matches.limit(FEW_MATCHES + 1)))
        return Ticket.id.in_(few if len(few) <= FEW_MATCHES else matches)
