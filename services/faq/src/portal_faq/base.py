"""The faq service's declarative base, metadata and messaging tables."""

from portal_chassis.db import make_base
from portal_chassis.messaging import add_messaging_tables

Base = make_base()
messaging = add_messaging_tables(Base.metadata)
