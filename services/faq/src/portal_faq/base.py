"""The faq service's declarative base, metadata and messaging tables."""

from portal_chassis.db import make_base
from portal_chassis.messaging import add_messaging_tables

Base = make_base()
# Built per database by the knowledge-base migration; not described by the models.
Base.metadata.info["unmanaged"] = ("faq_fts", "faq_term_trgm", "fts_", "ix_faq_fts", "ix_faq_trgm")
messaging = add_messaging_tables(Base.metadata)
