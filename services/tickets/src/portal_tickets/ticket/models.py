"""The ticket aggregate: a ticket, its correspondence and its status history."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    Boolean,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Uuid,
    text,
)
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from portal_chassis.db import UTCDateTime, utcnow
from portal_chassis.errors import Conflict, TooManyRequests
from portal_chassis.uow import RecordsEvents
from portal_tickets.base import Base
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.clock import SlaClock, SlaStart, SlaTarget, Targets
from portal_tickets.ticket import events


class Category(enum.StrEnum):
    INCIDENT = "incident"
    SERVICE_REQUEST = "service_request"
    CHANGE_REQUEST = "change_request"
    QUESTION = "question"


class Priority(enum.StrEnum):
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"
    P4 = "P4"


class Status(enum.StrEnum):
    NEW = "new"
    OPEN = "open"
    WAITING_INTERNAL = "waiting_internal"
    WAITING_CUSTOMER = "waiting_customer"
    POSTPONED = "postponed"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Channel(enum.StrEnum):
    """How a ticket or message reached the service desk."""

    PORTAL = "portal"
    EMAIL = "email"
    PHONE = "phone"
    ON_SITE = "on_site"


class Review(enum.StrEnum):
    """Where a ticket stands in its organization's internal review (`ticket/review.py`):
    with its reviewers ("review by our IT") or back with the requester ("review by the
    requester"). A ticket with the vendor has none."""

    INTERNAL = "internal"
    REQUESTER = "requester"


class ArticleKind(enum.StrEnum):
    MESSAGE = "message"
    INTERNAL_NOTE = "internal_note"
    SYSTEM = "system"


PortalStatus = Literal["in_progress", "answer_expected", "closed", "postponed"]

PORTAL_STATUS: dict[Status, tuple[PortalStatus, str]] = {
    Status.NEW: ("in_progress", "orange"),
    Status.OPEN: ("in_progress", "orange"),
    Status.WAITING_INTERNAL: ("in_progress", "orange"),
    Status.WAITING_CUSTOMER: ("answer_expected", "red"),
    Status.RESOLVED: ("closed", "green"),
    Status.CLOSED: ("closed", "green"),
    Status.CANCELLED: ("closed", "green"),
    Status.POSTPONED: ("postponed", "grey"),
}

DONE = frozenset({Status.RESOLVED, Status.CLOSED, Status.CANCELLED})
# The same as an index's condition, sorted (the same text in every process). PostgreSQL's
# form is the one its catalog gives back, so that an index rebuilt from its own
# definition is the same index.
_DONE_TEXT = ", ".join(f"'{s.value}'" for s in sorted(DONE))
NOT_DONE = {
    "postgresql": f"status::text <> ALL (ARRAY[{_DONE_TEXT}])",
    "sqlite": f"status NOT IN ({_DONE_TEXT})",
}
REOPEN_WINDOW = timedelta(days=7)
# An open ticket with no due time that counts sorts after every due one.
NO_DUE = datetime(9999, 1, 1, tzinfo=UTC)
# Where the desk's queue reads `next_due_at`: open tickets only (a done one holds none).
HAS_NEXT_DUE = "next_due_at IS NOT NULL"


def _enum(cls: type[enum.StrEnum]) -> Enum:
    # Stored as plain strings (no native ENUM type): portable and easy to extend.
    return Enum(cls, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e])


class TicketCounter(Base):
    """Source of ticket numbers on SQLite: one row, incremented in the creating transaction
    (SQLite has one writer at a time anyway). PostgreSQL draws them from the sequence
    `ticket_number_seq`, which never makes concurrent creators wait for each other."""

    __tablename__ = "ticket_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base, RecordsEvents):
    __tablename__ = "ticket"
    __table_args__ = (
        # Each list scope walks one of these newest first and stops after a page; `seq`
        # breaks ties so the keyset cursor `(created_at, seq) < (…)` is an index range.
        Index("ix_ticket_created", "created_at", "seq"),
        Index("ix_ticket_org_created", "organization_id", "created_at", "seq"),
        Index("ix_ticket_creator_created", "creator_id", "created_at", "seq"),
        Index("ix_ticket_assignee_created", "assignee_id", "created_at", "seq"),
        Index("ix_ticket_asset_created", "asset_id", "created_at", "seq"),
        Index("ix_ticket_group_created", "group_id", "created_at", "seq"),
        # The desk's queue by next due time, of a group or of all; `seq` breaks ties for
        # the keyset cursor `(next_due_at, seq) > (…)`. Done tickets are not in them.
        Index(
            "ix_ticket_group_due",
            "group_id",
            "next_due_at",
            "seq",
            postgresql_where=text(HAS_NEXT_DUE),
            sqlite_where=text(HAS_NEXT_DUE),
        ),
        Index(
            "ix_ticket_due",
            "next_due_at",
            "seq",
            postgresql_where=text(HAS_NEXT_DUE),
            sqlite_where=text(HAS_NEXT_DUE),
        ),
        # The summary counters read this index alone, never the table.
        Index("ix_ticket_status_priority", "status", "priority"),
        # The SLA scan looks only at tickets still waiting for a first reaction.
        Index(
            "ix_ticket_sla_pending",
            "sla_due_at",
            postgresql_where=text("first_response_at IS NULL AND sla_breached_at IS NULL"),
            sqlite_where=text("first_response_at IS NULL AND sla_breached_at IS NULL"),
        ),
        Index(
            "ix_ticket_resolution_pending",
            "resolution_due_at",
            postgresql_where=text("resolution_breached_at IS NULL"),
            sqlite_where=text("resolution_breached_at IS NULL"),
        ),
        # The breach gauges count open tickets past a target by priority from this index
        # alone, every 15 s in every replica: the table scan they made instead took both
        # cores for a quarter of a second with a million tickets.
        Index(
            "ix_ticket_open_breach",
            "priority",
            "sla_due_at",
            "resolution_due_at",
            "first_response_at",
            "sla_paused_at",
            postgresql_where=text(NOT_DONE["postgresql"]),
            sqlite_where=text(NOT_DONE["sqlite"]),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    category: Mapped[Category] = mapped_column(_enum(Category))
    subject_area: Mapped[str | None] = mapped_column(String(100), nullable=True)
    subtype: Mapped[str | None] = mapped_column(String(100), nullable=True)
    product: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The id (UUID text) of the ticket's asset, one of its organization's (`assets/`).
    asset_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    priority: Mapped[Priority] = mapped_column(_enum(Priority))
    status: Mapped[Status] = mapped_column(_enum(Status), default=Status.NEW)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    creator_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    contact_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    # The agent group that works the ticket (`groups/`: routed at opening, or set).
    group_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    template_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    guide_answers: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)
    first_response_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The SLA clock (`sla/clock.py`): the contract in force at the opening and the
    # business calendar it counts in (kept as ids: a contract may be deleted later),
    # due times of reaction (`sla_due_at`) and resolution, and the pause while the desk
    # waits for the customer (business seconds of the pauses so far).
    contract_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    sla_calendar_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    sla_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sla_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolution_breached_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sla_paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    sla_paused_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # Business seconds spent resolved before a reopening: the resolution does not count them.
    sla_resolved_seconds: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # The next due time that counts (`next_due()`), kept by the ticket whenever a due time,
    # the first answer or the status changes, so that the desk's queue reads it from an
    # index. While paused: the due times as they stood at the pause.
    next_due_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.PORTAL)
    # While set the ticket is in its organization's internal review: the service desk
    # does not see it (`portal_chassis.visibility`) and its SLA clock has not started.
    review: Mapped[Review | None] = mapped_column(_enum(Review), nullable=True)
    # When the organization's reviewers handed it over; its SLA clock counts from then.
    handed_over_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The closed ticket this one continues (a mail answering it after the reopening window).
    follow_up_of: Mapped[str | None] = mapped_column(String(32), nullable=True, index=True)
    # The ticket this duplicate was merged into (`links/`); it is closed.
    merged_into: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    # Write-only: the aggregate appends without loading the whole correspondence.
    articles: WriteOnlyMapped[Article] = relationship(
        order_by="Article.created_at", passive_deletes=True
    )
    history: WriteOnlyMapped[StatusChange] = relationship(
        order_by="StatusChange.created_at", passive_deletes=True
    )

    @classmethod
    def open(
        cls,
        *,
        seq: int,
        number: str,
        fields: dict[str, Any],
        organization_id: uuid.UUID | None,
        creator_id: uuid.UUID,
        contact_id: uuid.UUID,
        sla: SlaStart | None,
        at: datetime,
        opening: Article | None = None,
        refused_files: Sequence[events.RefusedFile] = (),
        review: Review | None = None,
    ) -> Ticket:
        """`opening`: the message holding the files sent with the ticket, shown first in
        the correspondence; announced with the ticket, not as a reply of its own.
        `review`: the ticket starts in its organization's review, its clock not yet
        running (`sla` is then ignored; `hand_over` starts it)."""
        ticket = cls(
            id=uuid.uuid4(),
            seq=seq,
            number=number,
            status=Status.NEW,
            organization_id=organization_id,
            creator_id=creator_id,
            contact_id=contact_id,
            cancelled=False,
            review=review,
            created_at=at,
            updated_at=at,
            **fields,
        )
        if sla is not None and review is None:
            ticket.start_sla(sla)
        ticket._refresh_next_due()
        file_ids: list[uuid.UUID] = []
        if opening is not None:
            opening.ticket_id = ticket.id
            ticket.articles.add(opening)
            file_ids = [uuid.UUID(str(f)) for f in opening.attachment_ids]
        ticket.record(
            events.TicketCreated.of(
                ticket,
                actor_id=creator_id,
                at=at,
                file_ids=file_ids,
                channel=str(ticket.channel or "portal"),
                follow_up_of=ticket.follow_up_of,
                refused_files=list(refused_files),
            )
        )
        return ticket

    @property
    def in_review(self) -> bool:
        return self.review is not None

    def hand_over(self, *, actor_id: uuid.UUID, at: datetime, sla: SlaStart | None) -> None:
        """The organization's review is done: the ticket goes to the vendor's service
        desk, and its SLA clock starts now under the terms in force now."""
        if self.review is None:
            raise Conflict("The ticket is with the service desk already.")
        if self.is_done:
            raise Conflict("A closed ticket is not handed over.")
        self.review, self.handed_over_at, self.updated_at = None, at, at
        if sla is not None:
            self.start_sla(sla)
        self._refresh_next_due()
        self.record(events.TicketHandedOver.of(self, actor_id=actor_id, at=at))

    def send_for_review(self, review: Review, *, actor_id: uuid.UUID, at: datetime) -> bool:
        """Between the reviewers and the requester, while the ticket is in review."""
        if self.review is None:
            raise Conflict("The ticket is with the service desk; its review is over.")
        return self.change(actor_id=actor_id, at=at, review=review)

    @property
    def portal_status(self) -> PortalStatus:
        return PORTAL_STATUS[self.status][0]

    @property
    def is_done(self) -> bool:
        return self.status in DONE

    def can_reopen(self, at: datetime) -> bool:
        return (
            self.status is Status.RESOLVED
            and self.resolved_at is not None
            and at - self.resolved_at <= REOPEN_WINDOW
        )

    def change(self, *, actor_id: uuid.UUID, at: datetime, **changes: Any) -> bool:
        """Change plain fields (category, priority, assignee, ...); one event for all."""
        diff: dict[str, list[str | None]] = {}
        for field, value in changes.items():
            before = getattr(self, field)
            if before != value:
                setattr(self, field, value)
                diff[field] = [_text(before), _text(value)]
        if not diff:
            return False
        self.updated_at = at
        self.record(events.TicketUpdated.of(self, actor_id=actor_id, at=at, changes=diff))
        return True

    def set_status(
        self,
        status: Status,
        *,
        actor_id: uuid.UUID,
        at: datetime,
        calendar: BusinessCalendar | None = None,
    ) -> bool:
        """`calendar`: the ticket's business calendar, needed when the status ends a
        pause of the SLA clock or reopens a resolved ticket (see `sla_calendar_id`)."""
        if status is self.status:
            return False
        resumes = self.sla_paused_at is not None and status is not Status.WAITING_CUSTOMER
        # Resolved (or closed) and open again: the time resolved does not count.
        reopened_from = self.resolved_at if self.is_done and status not in DONE else None
        if (resumes or reopened_from) and calendar is None:  # before anything changes
            raise ValueError("resuming the SLA clock needs the ticket's business calendar")
        previous = self.status
        self.status = status
        self.updated_at = at
        if status is Status.RESOLVED or (status is Status.CLOSED and self.resolved_at is None):
            self.resolved_at = at  # closing an unresolved ticket settles it too
        elif status not in DONE:
            self.resolved_at = None
        self._follow_status_with_clock(at, calendar, reopened_from)
        self._refresh_next_due()  # done: nothing is due any more; reopened: due again
        self.history.add(
            StatusChange(from_status=previous, to_status=status, actor_id=actor_id, created_at=at)
        )
        self.record(
            events.TicketStatusChanged.of(
                self,
                actor_id=actor_id,
                at=at,
                previous_status=previous.value,
                previous_portal_status=PORTAL_STATUS[previous][0],
            )
        )
        if status is Status.CLOSED and not self.cancelled:
            self.record(events.TicketClosed.of(self, actor_id=actor_id, at=at))
        return True

    def cancel(
        self, *, actor_id: uuid.UUID, at: datetime, calendar: BusinessCalendar | None = None
    ) -> None:
        self.cancelled = True
        self.set_status(Status.CANCELLED, actor_id=actor_id, at=at, calendar=calendar)
        self.record(events.TicketCancelled.of(self, actor_id=actor_id, at=at))

    # --- the SLA clock (the rule: `sla/clock.py`) ------------------------------------

    @property
    def sla_clock(self) -> SlaClock | None:
        """None for a ticket without targets (none is made so today)."""
        if self.sla_due_at is None or self.resolution_due_at is None:
            return None
        return SlaClock(
            opened_at=self.handed_over_at or self.created_at,
            reaction_due=self.sla_due_at,
            resolution_due=self.resolution_due_at,
            paused_since=self.sla_paused_at,
            paused=timedelta(seconds=self.sla_paused_seconds or 0.0),
            resolved=timedelta(seconds=self.sla_resolved_seconds or 0.0),
        )

    def start_sla(self, start: SlaStart) -> None:
        """The clock under the terms in force at the opening."""
        self.contract_id, self.sla_calendar_id = start.contract_id, start.calendar_id
        self.sla_breached_at = self.resolution_breached_at = None
        self._keep_clock(start.clock)

    def _keep_clock(self, clock: SlaClock) -> None:
        self.sla_due_at = clock.reaction_due
        self.resolution_due_at = clock.resolution_due
        self.sla_paused_at = clock.paused_since
        self.sla_paused_seconds = clock.paused.total_seconds()
        self.sla_resolved_seconds = clock.resolved.total_seconds()
        self._refresh_next_due()

    def next_due(self) -> datetime | None:
        """The due time the desk works towards next (`next_due_time`)."""
        return next_due_time(
            self.status, self.first_response_at, self.sla_due_at, self.resolution_due_at
        )

    def _refresh_next_due(self) -> None:
        # In review, nothing is due to the service desk: not in its queue at all.
        self.next_due_at = None if self.review is not None else self.next_due()

    def mark_answered(self, at: datetime) -> None:
        """The service desk's public answer at `at`: the first one stops the reaction clock."""
        if self.first_response_at is None:
            self.first_response_at = at
            self._refresh_next_due()

    def _follow_status_with_clock(
        self, at: datetime, calendar: BusinessCalendar | None, reopened_from: datetime | None
    ) -> None:
        """Waiting for the customer pauses the clock; any other status runs it again
        (resolving, closing and cancelling stop it: the states tell met from missed).
        Reopened after being resolved at `reopened_from`, the resolution runs on with the
        time it had left then (`SlaClock.reopen`)."""
        clock = self.sla_clock
        if clock is None:
            return
        if reopened_from is not None and calendar is not None:
            clock = clock.reopen(reopened_from, at, calendar)
            self._keep_clock(clock)
            self._forget_breaches_not_due(at)
        if self.status is Status.WAITING_CUSTOMER:
            self._keep_clock(clock.pause(at))
        elif clock.is_paused and calendar is not None:
            self._keep_clock(clock.resume(at, calendar))
            self._forget_breaches_not_due(at)

    def retarget_sla(self, targets: Targets, calendar: BusinessCalendar, *, at: datetime) -> None:
        """The targets of a new priority, counted from the opening and moved by every
        pause so far. A breach reported under the old targets is kept only if the new
        one has passed too; otherwise the scan reports it again should it pass."""
        clock = self.sla_clock
        if clock is None:
            return
        self._keep_clock(clock.retarget(targets, calendar, at))
        self._forget_breaches_not_due(at)

    def _forget_breaches_not_due(self, at: datetime) -> None:
        if self.sla_breached_at is not None and self.sla_due_at and self.sla_due_at > at:
            self.sla_breached_at = None
        if (
            self.resolution_breached_at is not None
            and self.resolution_due_at
            and self.resolution_due_at > at
        ):
            self.resolution_breached_at = None

    def breach_sla(self, target: SlaTarget, *, at: datetime) -> None:
        """The reaction target passed without an answer from the service desk, or the
        resolution target without the ticket being resolved."""
        if target == "reaction":
            assert self.sla_due_at is not None
            self.sla_breached_at, due = at, self.sla_due_at
        else:
            assert self.resolution_due_at is not None
            self.resolution_breached_at, due = at, self.resolution_due_at
        self.record(
            events.TicketSlaBreached.of(self, actor_id=None, at=at, due_at=due, target=target)
        )

    def add_article(
        self,
        article: Article,
        *,
        escalation: bool = False,
        refused_files: Sequence[events.RefusedFile] = (),
    ) -> None:
        self.articles.add(article)
        self.updated_at = article.created_at
        self.record(
            events.ArticleAdded.of(
                self, article, escalation=escalation, refused_files=list(refused_files)
            )
        )

    def follow(self, user_id: uuid.UUID, *, at: datetime) -> Follower:
        self.record(events.TicketFollowed(ticket_id=self.id, number=self.number, user_id=user_id))
        return Follower(ticket_id=self.id, user_id=user_id, created_at=at)

    def unfollow(self, user_id: uuid.UUID) -> None:
        self.record(events.TicketUnfollowed(ticket_id=self.id, number=self.number, user_id=user_id))

    def escalate(self, article: Article, *, actor_id: uuid.UUID, interval: timedelta) -> None:
        """Escalate with `article`, the message that says why: at most once per
        `interval`, and never a closed ticket. The message is added with the escalation
        (its `tickets.article.added` comes before `tickets.ticket.escalated`)."""
        at = article.created_at
        if self.is_done:
            raise Conflict("A closed ticket cannot be escalated.")
        if self.review is not None:
            raise Conflict("The ticket is still in your organization's review; hand it over first.")
        if self.escalated_at is not None and at - self.escalated_at < interval:
            wait = interval - (at - self.escalated_at)
            raise TooManyRequests(
                "This ticket was escalated a short while ago; the service desk is on it.",
                retry_after=max(1, int(wait.total_seconds())),
            )
        self.add_article(article, escalation=True)
        self.escalated_at = at
        self.record(
            events.TicketEscalated.of(self, actor_id=actor_id, at=at, article_id=article.id)
        )


def next_due_time(
    status: str,
    first_response_at: datetime | None,
    reaction_due: datetime | None,
    resolution_due: datetime | None,
) -> datetime | None:
    """The rule of `Ticket.next_due_at`: the reaction's due time while unanswered, if
    earlier than the resolution's, else the resolution's. None once done (resolved,
    closed, cancelled); `NO_DUE` for an open ticket without a target that counts (none
    since every ticket has its clock). The stored due times: a paused clock counts with
    its due times as they stood at the pause."""
    if status in DONE:
        return None
    reaction = reaction_due if first_response_at is None else None
    if reaction is not None and (resolution_due is None or reaction < resolution_due):
        return reaction
    return resolution_due or NO_DUE


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.value if isinstance(value, enum.Enum) else str(value)


class Article(Base):
    """One entry of the correspondence: a message, an internal note or a system entry."""

    __tablename__ = "article"
    __table_args__ = (Index("ix_article_ticket_created", "ticket_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    kind: Mapped[ArticleKind] = mapped_column(_enum(ArticleKind))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    author_is_staff: Mapped[bool] = mapped_column(Boolean, default=False)
    author_organization_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, nullable=True)
    attachment_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    channel: Mapped[Channel] = mapped_column(_enum(Channel), default=Channel.PORTAL)
    # The Message-ID of the mail this message came from: unique, so a mail fetched twice
    # (a retried fetch, two intake workers) adds one message.
    mail_message_id: Mapped[str | None] = mapped_column(String(255), nullable=True, unique=True)
    # Minutes the desk booked on this reply or note (time accounting, when switched on).
    minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def internal(self) -> bool:
        return self.kind is ArticleKind.INTERNAL_NOTE


class StatusChange(Base):
    __tablename__ = "status_change"
    __table_args__ = (Index("ix_status_change_ticket", "ticket_id", "created_at"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    ticket_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"))
    from_status: Mapped[Status] = mapped_column(_enum(Status))
    to_status: Mapped[Status] = mapped_column(_enum(Status))
    actor_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follower(Base):
    """Someone who asked to hear about a ticket they neither opened nor are contact of."""

    __tablename__ = "ticket_follower"

    ticket_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
