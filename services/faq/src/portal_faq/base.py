"""The faq service's declarative base, metadata and messaging tables."""

from sqlalchemy.orm import DeclarativeBase

from portal_chassis.db import new_metadata
from portal_chassis.messaging import add_messaging_tables


class Base(DeclarativeBase):
    # Its own metadata (with the chassis' naming convention), never shared.
    metadata = new_metadata()


# Built per database by the knowledge-base migration; not described by the models.
Base.metadata.info["unmanaged"] = ("faq_fts", "faq_term_trgm", "fts_", "ix_faq_fts", "ix_faq_trgm")
messaging = add_messaging_tables(Base.metadata)
