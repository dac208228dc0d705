"""The tickets service's declarative base, metadata and messaging tables."""

from sqlalchemy.orm import DeclarativeBase

from portal_chassis.db import new_metadata
from portal_chassis.messaging import add_messaging_tables


class Base(DeclarativeBase):
    # Its own metadata (with the chassis' naming convention), never shared.
    metadata = new_metadata()


# Built per database by the search migration; not described by the models.
Base.metadata.info["unmanaged"] = ("ticket_search_fts", "ix_ticket_search_", "fts_")
messaging = add_messaging_tables(Base.metadata)
