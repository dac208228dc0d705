"""What customers choose from when they open a ticket: templates with conversation
guides, and the subject-area taxonomy."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Enum, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base


class TemplateGroup(enum.StrEnum):
    INCIDENT_REPORT = "incident_report"
    SERVICE_REQUEST = "service_request"
    CHANGE_REQUEST = "change_request"


class Template(Base):
    __tablename__ = "ticket_template"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    group: Mapped[TemplateGroup] = mapped_column(
        Enum(
            TemplateGroup,
            native_enum=False,
            length=32,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # German wording for German readers; English (name, description) is the fallback.
    name_de: Mapped[str | None] = mapped_column(String(200), nullable=True)
    description_de: Mapped[str | None] = mapped_column(Text, nullable=True)
    category: Mapped[str] = mapped_column(String(32))
    subject_area: Mapped[str | None] = mapped_column(String(100), nullable=True)
    # The conversation guide: a list of questions (see catalog/schemas.Question).
    guide: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # Organizations that may use the template; empty means every organization.
    organization_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def available_to(self, organization_id: uuid.UUID | None) -> bool:
        if not self.active:
            return False
        return not self.organization_ids or str(organization_id) in self.organization_ids


class SubjectArea(Base):
    __tablename__ = "subject_area"

    # The English name is the key tickets store; German readers see `name_de`.
    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    name_de: Mapped[str | None] = mapped_column(String(100), nullable=True)
    subtypes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # German labels of the subtypes, by subtype (the stored value stays English).
    subtypes_de: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
