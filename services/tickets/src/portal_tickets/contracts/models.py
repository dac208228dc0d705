"""Contracts with service levels, and the business calendars their targets count in.

A contract belongs to one customer organization for a span of days; it names the
calendar its targets count in, the targets by priority (business hours to the first
reaction and to the resolution), whether the organization's people choose priorities,
and what it covers (products, assets; none named: everything of the organization).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Uuid, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal_chassis.db import UTCDateTime, utcnow
from portal_tickets.base import Base
from portal_tickets.contracts import rules

if TYPE_CHECKING:
    from portal_tickets.sla.calendar import BusinessCalendar
    from portal_tickets.sla.clock import SlaStart, Targets


class Calendar(Base):
    """Opening hours by weekday, holidays and a time zone: what "business time" means."""

    __tablename__ = "business_calendar"
    __table_args__ = (
        # At most one default; the use cases keep it exactly one.
        Index(
            "uq_business_calendar_default",
            "is_default",
            unique=True,
            postgresql_where=text("is_default"),
            sqlite_where=text("is_default"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64))
    # {"0": ["08:00", "17:00"], ...}: weekday (0 = Monday) -> opening and closing time.
    weekly: Mapped[dict[str, list[str]]] = mapped_column(JSON, default=dict)
    # ISO dates, sorted.
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def hours(self) -> dict[int, tuple[time, time]]:
        return rules.parse_weekly(self.weekly)

    @property
    def holiday_dates(self) -> list[date]:
        return [date.fromisoformat(d) for d in self.holidays]

    def to_business_calendar(self) -> BusinessCalendar:
        """The SLA clock's calendar (`sla.calendar.BusinessCalendar`)."""
        from portal_tickets.sla.calendar import BusinessCalendar, shared

        return shared(
            BusinessCalendar(
                timezone=self.time_zone, weekly=self.hours, holidays=frozenset(self.holiday_dates)
            )
        )

    def change(self, at: datetime, **values: Any) -> bool:
        return _change(self, at, values)


class Contract(Base):
    __tablename__ = "contract"
    __table_args__ = (Index("ix_contract_org_valid", "organization_id", "valid_from"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    organization_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    name: Mapped[str] = mapped_column(String(100))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)  # None: open-ended
    priorities_selectable: Mapped[bool] = mapped_column(Boolean, default=False)
    # What a new ticket gets when its creator names no priority (a mail): P1..P4, None: P4.
    default_priority: Mapped[str | None] = mapped_column(String(2), nullable=True)
    calendar_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("business_calendar.id"))
    # {"P1": {"reaction_hours": 4, "resolution_hours": 16}, ...}: business hours.
    targets: Mapped[dict[str, dict[str, float]]] = mapped_column(JSON, default=dict)
    products: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every product
    asset_ids: Mapped[list[str]] = mapped_column(JSON, default=list)  # empty: every asset
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    calendar: Mapped[Calendar] = relationship(lazy="joined", innerjoin=True)

    def valid_on(self, day: date) -> bool:
        return rules.valid_on(self.valid_from, self.valid_until, day)

    def in_force_at(self, moment: datetime) -> bool:
        """Valid on the day `moment` falls on in its calendar's time zone."""
        return self.valid_on(rules.local_day(moment, self.calendar.time_zone))

    def target_hours(self, priority: str) -> rules.TargetHours:
        """The priority's targets in business hours (reaction, resolution)."""
        return rules.hours_for(self.targets, priority)

    def targets_for(self, priority: str) -> Targets:
        """The priority's targets for the SLA clock."""
        return _targets(self.target_hours(priority))

    def change(self, at: datetime, **values: Any) -> bool:
        return _change(self, at, values)


def _change(row: Calendar | Contract, at: datetime, values: dict[str, Any]) -> bool:
    changed = False
    for field, value in values.items():
        if getattr(row, field) != value:
            setattr(row, field, value)
            changed = True
    if changed:
        row.updated_at = at
    return changed


def _targets(hours: rules.TargetHours) -> Targets:
    # Imported here: the SLA clock may come to ask for contracts itself.
    from portal_tickets.sla.clock import Targets

    return Targets(
        reaction=timedelta(hours=hours.reaction_hours),
        resolution=timedelta(hours=hours.resolution_hours),
    )


@dataclass(frozen=True)
class Terms:
    """The service levels a ticket of an organization gets: those of the contract in
    force, or without one the default calendar's with the default targets and the
    organization's own say on priorities."""

    contract: Contract | None
    calendar: Calendar
    targets: dict[str, rules.TargetHours]
    priorities_selectable: bool

    def targets_for(self, priority: str) -> Targets:
        return _targets(self.targets[priority])

    @property
    def default_priority(self) -> str:
        """What a new ticket gets when its creator names no priority: the contract's
        default while it lets priorities be chosen, else P4 (the standard terms)."""
        if self.contract is None or not self.priorities_selectable:
            return rules.STANDARD_PRIORITY
        return self.contract.default_priority or rules.STANDARD_PRIORITY

    def business_calendar(self) -> BusinessCalendar:
        return self.calendar.to_business_calendar()

    def start_clock(self, priority: str, at: datetime) -> SlaStart:
        """The SLA clock of a ticket of `priority` opened at `at` under these terms."""
        from portal_tickets.sla.clock import SlaStart, start_clock

        clock = start_clock(self.business_calendar(), at, self.targets_for(priority))
        contract_id = self.contract.id if self.contract is not None else None
        return SlaStart(contract_id, self.calendar.id, clock)
