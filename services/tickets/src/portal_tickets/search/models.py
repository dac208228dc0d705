from __future__ import annotations

import uuid

from sqlalchemy import BigInteger, ForeignKey, Integer, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_tickets.base import Base


class TicketSearch(Base):
    """The searchable text of one ticket. The full-text index over it is built per
    database (see search/backends.py and the migration): GIN indexes on PostgreSQL, an
    FTS5 table on SQLite (which needs the stable integer key)."""

    __tablename__ = "ticket_search"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    ticket_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("ticket.id", ondelete="CASCADE"), unique=True
    )
    # Number, title, description and public messages: what customers may search.
    public_text: Mapped[str] = mapped_column(Text, default="")
    # Internal notes: searchable by the service desk only.
    internal_text: Mapped[str] = mapped_column(Text, default="")
