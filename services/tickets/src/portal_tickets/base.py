"""The tickets service's declarative base, metadata and messaging tables."""

from portal_chassis.db import make_base
from portal_chassis.messaging import add_messaging_tables

Base = make_base()
# Built per database by the search migration; not described by the models.
Base.metadata.info["unmanaged"] = ("ticket_search_fts", "ix_ticket_search_", "fts_")
messaging = add_messaging_tables(Base.metadata)
