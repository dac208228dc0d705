"""Agent groups (e.g. Software, Machines, Robotics) and the rules that route new tickets
to them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base


class AgentGroup(Base):
    __tablename__ = "agent_group"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # An agent or admin of the group who hears of its escalations and low ratings.
    lead_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # The members (agent and admin user ids, as text), in round-robin order.
    member_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    # New tickets routed to the group go to its members in turn.
    round_robin: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many tickets the round robin has handed out: advanced in one UPDATE, so two
    # tickets opened at the same moment go to two members.
    handed_out: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class RoutingRule(Base):
    """Tickets that match every condition the rule names go to its group; the rules are
    tried in `position` order and the first match wins."""

    __tablename__ = "routing_rule"
    __table_args__ = (Index("ix_routing_rule_position", "position"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    position: Mapped[int] = mapped_column(Integer)
    group_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("agent_group.id", ondelete="CASCADE")
    )
    subject_area: Mapped[str | None] = mapped_column(String(100), nullable=True)
    category: Mapped[str | None] = mapped_column(String(32), nullable=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # Matched against the ticket's product, or its asset's product.
    product: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
