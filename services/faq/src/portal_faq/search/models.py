from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from portal_faq.base import Base


class Term(Base):
    """The vocabulary of the articles: every word once, for typo correction and for
    splitting German compounds in queries. The trigram index over it is built per
    database (pg_trgm on PostgreSQL, an FTS5 trigram table on SQLite)."""

    __tablename__ = "faq_term"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    word: Mapped[str] = mapped_column(String(64), unique=True)
