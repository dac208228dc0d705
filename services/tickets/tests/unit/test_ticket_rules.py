"""The ticket's own rules: escalating once per interval, and who reads which part of the
correspondence (pure: no database)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta

import pytest

from portal_chassis.auth import Actor
from portal_chassis.errors import Conflict, TooManyRequests
from portal_tickets.sla.calendar import BusinessCalendar
from portal_tickets.sla.clock import SlaStart, Targets, start_clock
from portal_tickets.ticket import events
from portal_tickets.ticket.models import Article, ArticleKind, Category, Priority, Status, Ticket
from portal_tickets.ticket.permissions import staff_only_changes, visible_articles

AT = datetime(2026, 11, 23, 9, tzinfo=UTC)
INTERVAL = timedelta(hours=4)


def _actor(roles: list[str]) -> Actor:
    return Actor(id=uuid.uuid4(), username="u", organization_id=None, roles=frozenset(roles))


def _ticket() -> Ticket:
    return Ticket.open(
        seq=1,
        number="T000001",
        fields={"title": "Down", "category": Category.INCIDENT, "priority": Priority.P2},
        organization_id=None,
        creator_id=uuid.uuid4(),
        contact_id=uuid.uuid4(),
        sla=None,
        at=AT,
    )


def _message(ticket: Ticket, at: datetime, kind: ArticleKind = ArticleKind.MESSAGE) -> Article:
    return Article(
        id=uuid.uuid4(),
        ticket_id=ticket.id,
        kind=kind,
        body="Production is down.",
        author_id=ticket.creator_id,
        author_is_staff=False,
        attachment_ids=[],
        created_at=at,
    )


def test_a_ticket_is_escalated_once_per_interval() -> None:
    ticket = _ticket()
    ticket.escalate(_message(ticket, AT), actor_id=ticket.creator_id, interval=INTERVAL)
    assert ticket.escalated_at == AT
    recorded = [type(e) for e in ticket.pop_events()]
    # The message comes first, then the escalation it explains.
    assert recorded[-2:] == [events.ArticleAdded, events.TicketEscalated]

    soon = AT + INTERVAL - timedelta(minutes=30)
    with pytest.raises(TooManyRequests) as refused:
        ticket.escalate(_message(ticket, soon), actor_id=ticket.creator_id, interval=INTERVAL)
    assert refused.value.headers["Retry-After"] == str(30 * 60)
    assert ticket.escalated_at == AT and ticket.pop_events() == []

    later = AT + INTERVAL
    ticket.escalate(_message(ticket, later), actor_id=ticket.creator_id, interval=INTERVAL)
    assert ticket.escalated_at == later


def test_a_closed_ticket_is_not_escalated() -> None:
    ticket = _ticket()
    ticket.set_status(Status.CLOSED, actor_id=ticket.creator_id, at=AT)
    with pytest.raises(Conflict):
        ticket.escalate(_message(ticket, AT), actor_id=ticket.creator_id, interval=INTERVAL)


def test_internal_notes_are_for_the_service_desk_only() -> None:
    assert ArticleKind.INTERNAL_NOTE in visible_articles(_actor(["agent"]))
    assert ArticleKind.INTERNAL_NOTE not in visible_articles(_actor(["customer"]))
    # A reader outside the desk (a PDF to forward, an event's text) sees public ones only.
    assert visible_articles(None) == {ArticleKind.MESSAGE, ArticleKind.SYSTEM}

    ticket = _ticket()
    ticket.add_article(_message(ticket, AT, ArticleKind.INTERNAL_NOTE))
    ticket.add_article(_message(ticket, AT))
    note, message = [e for e in ticket.pop_events() if isinstance(e, events.ArticleAdded)]
    assert note.internal and note.excerpt == ""
    assert message.excerpt == "Production is down."


def test_customers_leave_the_desks_fields_alone() -> None:
    fields = ["status", "priority", "assignee_id"]
    assert staff_only_changes(_actor(["customer"]), fields) == {"status", "assignee_id"}
    assert staff_only_changes(_actor(["agent"]), fields) == set()


# --- the ticket's SLA clock follows its status ----------------------------------------

CALENDAR = BusinessCalendar.uniform("UTC", time(8, 0), time(17, 0))  # Mon-Fri 08-17 UTC


def _clocked() -> Ticket:
    ticket = _ticket()  # Monday 09:00
    clock = start_clock(CALENDAR, AT, Targets(timedelta(hours=4), timedelta(hours=16)))
    ticket.start_sla(SlaStart(None, uuid.uuid4(), clock))
    return ticket


def test_waiting_for_the_customer_pauses_and_their_answer_moves_both_due_times() -> None:
    ticket = _clocked()
    agent = uuid.uuid4()
    assert ticket.sla_due_at == AT + timedelta(hours=4)
    assert ticket.resolution_due_at == datetime(2026, 11, 24, 16, tzinfo=UTC)
    ticket.set_status(Status.WAITING_CUSTOMER, actor_id=agent, at=AT + timedelta(hours=1))
    assert ticket.sla_paused_at == AT + timedelta(hours=1)
    # Paused from Monday 10:00 to Tuesday 10:00: nine business hours.
    with pytest.raises(ValueError, match="calendar"):
        ticket.set_status(Status.OPEN, actor_id=agent, at=AT + timedelta(days=1, hours=1))
    ticket.set_status(
        Status.OPEN, actor_id=agent, at=AT + timedelta(days=1, hours=1), calendar=CALENDAR
    )
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused_seconds == 9 * 3600
    assert ticket.sla_due_at == datetime(2026, 11, 24, 13, tzinfo=UTC)
    assert ticket.resolution_due_at == datetime(2026, 11, 25, 16, tzinfo=UTC)


def test_a_new_priority_counts_from_the_opening_and_forgets_a_breach_not_due() -> None:
    ticket = _clocked()
    ticket.breach_sla("reaction", at=AT + timedelta(hours=5))
    assert ticket.pop_events()[-1].target == "reaction"  # type: ignore[attr-defined]
    later = AT + timedelta(hours=5)
    ticket.retarget_sla(Targets(timedelta(hours=9), timedelta(hours=27)), CALENDAR, at=later)
    assert ticket.sla_due_at == datetime(2026, 11, 24, 9, tzinfo=UTC)
    assert ticket.sla_breached_at is None  # the scan reports it again if the new one passes
    ticket.retarget_sla(Targets(timedelta(hours=2), timedelta(hours=27)), CALENDAR, at=later)
    ticket.breach_sla("reaction", at=later)
    ticket.retarget_sla(Targets(timedelta(hours=3), timedelta(hours=27)), CALENDAR, at=later)
    assert ticket.sla_breached_at == later  # 12:00 passed too: the report stands


def test_closing_an_unresolved_ticket_settles_it_and_resumes_a_pause() -> None:
    ticket = _clocked()
    agent = uuid.uuid4()
    ticket.set_status(Status.WAITING_CUSTOMER, actor_id=agent, at=AT + timedelta(hours=1))
    closed = AT + timedelta(hours=3)
    ticket.set_status(Status.CLOSED, actor_id=agent, at=closed, calendar=CALENDAR)
    assert ticket.resolved_at == closed
    assert ticket.sla_paused_at is None
    assert ticket.sla_paused_seconds == 2 * 3600
