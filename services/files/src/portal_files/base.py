"""The files service's declarative base, metadata and messaging tables."""

from sqlalchemy.orm import DeclarativeBase

from portal_chassis.db import new_metadata
from portal_chassis.messaging import add_messaging_tables


class Base(DeclarativeBase):
    # Its own metadata (with the chassis' naming convention), never shared.
    metadata = new_metadata()


messaging = add_messaging_tables(Base.metadata)
