"""Full-text matching, one implementation per database (the only SQL here that is
specific to one of them).

PostgreSQL: German and English stemming (`to_tsvector('german', …) ||
to_tsvector('english', …)`) over GIN expression indexes; a `*` term matches as a prefix.
SQLite: an FTS5 table kept in step with `ticket_search` by triggers (porter stemming,
diacritics folded); a `*` term is an FTS5 prefix query.
"""

from __future__ import annotations

import uuid

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text

from portal_tickets.search.models import TicketSearch
from portal_tickets.search.terms import Term

PG_VECTOR = "to_tsvector('german', {col}) || to_tsvector('english', {col})"


def matching_tickets(
    dialect: str, terms: list[Term], *, internal: bool
) -> Select[tuple[uuid.UUID]]:
    """A SELECT of the ids of tickets whose text matches every term."""
    if dialect == "postgresql":
        return _postgres(terms, internal=internal)
    return _sqlite(terms, internal=internal)


def _pg_query(term: Term) -> ColumnElement:
    if term.prefix:
        return func.to_tsquery("simple", f"{term.word}:*")
    return func.plainto_tsquery("german", term.word).op("||")(
        func.plainto_tsquery("english", term.word)
    )


def _postgres(terms: list[Term], *, internal: bool) -> Select[tuple[uuid.UUID]]:
    public = literal_column(PG_VECTOR.format(col="ticket_search.public_text"))
    notes = literal_column(PG_VECTOR.format(col="ticket_search.internal_text"))
    conditions = []
    for term in terms:
        query = _pg_query(term)
        match = public.op("@@")(query)
        if internal:
            match = or_(match, notes.op("@@")(query))
        conditions.append(match)
    return select(TicketSearch.ticket_id).where(and_(*conditions))


def _fts5_phrase(term: Term) -> str:
    quoted = '"' + term.word.replace('"', '""') + '"'
    return quoted + ("*" if term.prefix else "")


def _sqlite(terms: list[Term], *, internal: bool) -> Select[tuple[uuid.UUID]]:
    expression = " ".join(_fts5_phrase(t) for t in terms)
    if not internal:
        expression = "{public_text} : (" + expression + ")"
    return select(TicketSearch.ticket_id).where(
        text(
            "ticket_search.id IN (SELECT rowid FROM ticket_search_fts "
            "WHERE ticket_search_fts MATCH :fts)"
        ).bindparams(fts=expression)
    )
