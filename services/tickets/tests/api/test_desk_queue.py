"""The service desk's queue: unassigned and assigned tickets, by organization, breached
reaction targets first, sorted by SLA due time or by the next due time (kept on the
ticket through answers, priority changes, pauses and closing)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from portal_harness import Portal
from sqlalchemy import select

from portal_tickets.ticket.models import DONE, NO_DUE, Status, Ticket

pytestmark = pytest.mark.integration


async def _numbers(world: Portal, user: str, query: str) -> list[str]:
    r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return [t["number"] for t in r.json()["items"]]


async def _due(world: Portal, number: str, due_at: datetime) -> None:
    await _move(world, number, sla_due_at=due_at)


async def test_assignee_filter_finds_unassigned_and_someones_tickets(world: Portal) -> None:
    taken = await world.ticket("ben")
    free = await world.ticket("carla")
    r = await world.client.patch(
        f"/api/v1/tickets/{taken['number']}",
        json={"assignee_id": world.ids["erik"]},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 200
    assert await _numbers(world, "erik", "assignee=none") == [free["number"]]
    erik = world.ids["erik"]
    assert await _numbers(world, "erik", f"assignee={erik}") == [taken["number"]]
    r = await world.client.get("/api/v1/tickets?assignee=nobody", headers=await world.as_("erik"))
    assert r.status_code == 422


async def test_organization_filter_for_staff_and_no_way_around_scoping(world: Portal) -> None:
    acme = await world.ticket("ben")
    globex = await world.ticket("carla")
    globex_id = world.orgs["globex"]
    assert await _numbers(world, "erik", f"organization_id={globex_id}") == [globex["number"]]
    assert await _numbers(world, "erik", f"organization_id={world.orgs['acme']}") == [
        acme["number"]
    ]
    # A customer naming another organization still sees only what they may see: nothing.
    assert await _numbers(world, "ben", f"organization_id={globex_id}") == []


async def test_breached_filter_and_sla_sort_with_cursor(world: Portal) -> None:
    now = datetime.now(UTC)
    late = await world.ticket("ben", priority="P1")
    later = await world.ticket("carla")
    soon = await world.ticket("ben", priority="P2")
    answered_late = await world.ticket("ben", priority="P1")
    await _due(world, late["number"], now - timedelta(hours=2))
    await _due(world, later["number"], now + timedelta(days=2))
    await _due(world, soon["number"], now + timedelta(hours=1))
    await _due(world, answered_late["number"], now - timedelta(hours=3))
    r = await world.client.post(
        f"/api/v1/tickets/{answered_late['number']}/articles",
        json={"body": "Sorry for the wait"},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201

    # Breached means unanswered past the target: an answered ticket has met or missed it.
    assert await _numbers(world, "erik", "sla=breached") == [late["number"]]
    breached = (
        await world.client.get("/api/v1/tickets?sla=breached", headers=await world.as_("erik"))
    ).json()
    assert breached["items"][0]["sla"]["state"] == "breached"

    order = [answered_late["number"], late["number"], soon["number"], later["number"]]
    assert await _numbers(world, "erik", "sort=sla") == order
    assert await _numbers(world, "erik", "sort=-sla") == order[::-1]
    seen: list[str] = []
    cursor = None
    while True:
        query = "sort=sla&limit=3" + (f"&cursor={cursor}" if cursor else "")
        r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_("erik"))
        page = r.json()
        seen += [t["number"] for t in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == order
    summary = await world.client.get(
        "/api/v1/tickets/summary?sla=breached&assignee=none", headers=await world.as_("erik")
    )
    assert summary.json()["total"] == 1


async def _move(world: Portal, number: str, **columns: datetime) -> None:
    """Let time pass: put stored moments of the ticket's clock into the past (its next
    due time follows, as the ticket keeps it whenever a due time changes)."""
    async with world.tickets.session_factory() as s:
        ticket = await s.scalar(select(Ticket).where(Ticket.number == number))
        assert ticket is not None
        for name, value in columns.items():
            setattr(ticket, name, value)
        ticket.next_due_at = ticket.next_due()
        await s.commit()


async def _answer(world: Portal, number: str) -> None:
    r = await world.client.post(
        f"/api/v1/tickets/{number}/articles",
        json={"body": "We are on it."},
        headers=await world.as_("erik"),
    )
    assert r.status_code == 201, r.text


async def _patch(world: Portal, number: str, user: str, **changes: str) -> None:
    r = await world.client.patch(
        f"/api/v1/tickets/{number}", json=changes, headers=await world.as_(user)
    )
    assert r.status_code == 200, r.text


async def _total(world: Portal, user: str, query: str) -> int:
    r = await world.client.get(f"/api/v1/tickets/summary?{query}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return int(r.json()["total"])


async def _at_risk_filter_finds_running_tickets_close_to_a_target(world: Portal) -> None:
    now = datetime.now(UTC)
    opened = now - timedelta(hours=4)
    # 30 minutes of a 4.5-hour reaction target left: less than a quarter.
    reacting = (await world.ticket("ben"))["number"]
    await _move(world, reacting, created_at=opened, sla_due_at=now + timedelta(minutes=30))
    # Answered: the reaction no longer counts, the resolution runs short.
    resolving = (await world.ticket("carla"))["number"]
    await _answer(world, resolving)
    await _move(
        world,
        resolving,
        created_at=opened,
        sla_due_at=now + timedelta(minutes=10),
        resolution_due_at=now + timedelta(minutes=40),
    )
    # Three of the four hours left: fine.
    calm = (await world.ticket("ben"))["number"]
    await _move(
        world, calm, created_at=now - timedelta(hours=1), sla_due_at=now + timedelta(hours=3)
    )
    # Answered with little reaction time left: the reaction target is met, nothing at risk.
    answered = (await world.ticket("ben"))["number"]
    await _answer(world, answered)
    await _move(world, answered, created_at=opened, sla_due_at=now + timedelta(minutes=10))
    # Waiting for the customer: the clock stands still.
    waiting = (await world.ticket("ben"))["number"]
    await _patch(world, waiting, "erik", status="waiting_customer")
    await _move(world, waiting, created_at=opened, sla_due_at=now + timedelta(minutes=10))
    # Past the target already: breached, not at risk.
    late = (await world.ticket("ben"))["number"]
    await _move(world, late, created_at=opened, sla_due_at=now - timedelta(minutes=10))
    # Closed: nothing to chase.
    done = (await world.ticket("ben"))["number"]
    await _move(world, done, created_at=opened, sla_due_at=now + timedelta(minutes=10))
    r = await world.client.post(f"/api/v1/tickets/{done}/close", headers=await world.as_("ben"))
    assert r.status_code == 200, r.text

    assert await _numbers(world, "erik", "sla=at_risk&sort=number") == [reacting, resolving]
    assert await _total(world, "erik", "sla=at_risk") == 2
    assert await _numbers(world, "erik", "sla=breached") == [late]
    assert await _numbers(world, "erik", "sla=paused") == [waiting]
    # Customers see their own tickets' clocks: the filter works within what they see.
    assert await _numbers(world, "ben", "sla=at_risk") == [reacting]
    assert await _numbers(world, "carla", "sla=paused") == []


async def test_at_risk_breached_and_paused_filters(world: Portal) -> None:
    await _at_risk_filter_finds_running_tickets_close_to_a_target(world)


async def test_at_risk_breached_and_paused_filters_on_sqlite(sqlite_world: Portal) -> None:
    await _at_risk_filter_finds_running_tickets_close_to_a_target(sqlite_world)


async def test_escalated_filter_and_paused_until_the_customer_answers(world: Portal) -> None:
    escalated = (await world.ticket("ben"))["number"]
    quiet = (await world.ticket("carla"))["number"]
    r = await world.client.post(
        f"/api/v1/tickets/{escalated}/escalate",
        json={"body": "Production is down."},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    assert await _numbers(world, "erik", "escalated=true") == [escalated]
    assert await _numbers(world, "erik", "escalated=false") == [quiet]
    assert await _total(world, "erik", "escalated=true&state=open") == 1
    assert await _numbers(world, "ben", "escalated=true") == [escalated]
    assert await _numbers(world, "carla", "escalated=true") == []

    await _patch(world, quiet, "erik", status="waiting_customer")
    assert await _numbers(world, "erik", "sla=paused") == [quiet]
    r = await world.client.post(
        f"/api/v1/tickets/{quiet}/articles",
        json={"body": "Here is the log."},
        headers=await world.as_("carla"),
    )
    assert r.status_code == 201, r.text
    assert await _numbers(world, "erik", "sla=paused") == []

    # Once done, an escalated ticket is nothing to chase any more.
    r = await world.client.post(
        f"/api/v1/tickets/{escalated}/close", headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    assert await _numbers(world, "erik", "escalated=true") == []
    r = await world.client.get("/api/v1/tickets?sla=late", headers=await world.as_("erik"))
    assert r.status_code == 422


async def _due_sort_takes_the_earlier_target_that_still_counts(world: Portal) -> None:
    now = datetime.now(UTC)
    hours = lambda n: now + timedelta(hours=n)  # noqa: E731
    reaction_first = (await world.ticket("ben"))["number"]
    await _move(world, reaction_first, sla_due_at=hours(1), resolution_due_at=hours(10))
    answered = (await world.ticket("ben"))["number"]
    await _answer(world, answered)
    # Answered: its past reaction due time no longer counts, the resolution's does.
    await _move(world, answered, sla_due_at=hours(-5), resolution_due_at=hours(2))
    resolution_first = (await world.ticket("carla"))["number"]
    await _move(world, resolution_first, sla_due_at=hours(3), resolution_due_at=hours(0.5))
    later = (await world.ticket("carla"))["number"]
    await _move(world, later, sla_due_at=hours(5), resolution_due_at=hours(20))

    order = [resolution_first, reaction_first, answered, later]
    assert await _numbers(world, "erik", "sort=due") == order
    assert await _numbers(world, "erik", "sort=-due") == order[::-1]
    for sort, expected in (("due", order), ("-due", order[::-1])):
        seen: list[str] = []
        cursor = None
        while True:
            query = f"sort={sort}&limit=3" + (f"&cursor={cursor}" if cursor else "")
            r = await world.client.get(f"/api/v1/tickets?{query}", headers=await world.as_("erik"))
            assert r.status_code == 200, r.text
            page = r.json()
            seen += [t["number"] for t in page["items"]]
            cursor = page["next_cursor"]
            if not cursor:
                break
        assert seen == expected
    # A cursor of another sort is refused.
    first = await world.client.get(
        "/api/v1/tickets?sort=sla&limit=1", headers=await world.as_("erik")
    )
    stale = first.json()["next_cursor"]
    r = await world.client.get(
        f"/api/v1/tickets?sort=due&cursor={stale}", headers=await world.as_("erik")
    )
    assert r.status_code == 422


async def test_due_sort_with_cursor(world: Portal) -> None:
    await _due_sort_takes_the_earlier_target_that_still_counts(world)


async def test_due_sort_with_cursor_on_sqlite(sqlite_world: Portal) -> None:
    await _due_sort_takes_the_earlier_target_that_still_counts(sqlite_world)


async def _walk(world: Portal, query: str, limit: int = 2) -> list[str]:
    """Every page of a list, following its cursor."""
    seen: list[str] = []
    cursor = None
    while True:
        page_query = f"{query}&limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        r = await world.client.get(f"/api/v1/tickets?{page_query}", headers=await world.as_("erik"))
        assert r.status_code == 200, r.text
        seen += [t["number"] for t in r.json()["items"]]
        cursor = r.json()["next_cursor"]
        if not cursor:
            return seen


def _counted_due(ticket: Ticket) -> datetime | None:
    """The rule in other words: the earliest due time that still counts, none once done."""
    if ticket.status in DONE:
        return None
    reaction = ticket.sla_due_at if ticket.first_response_at is None else None
    counted = [due for due in (reaction, ticket.resolution_due_at) if due is not None]
    return min(counted, default=NO_DUE)


async def _tickets(world: Portal) -> dict[str, Ticket]:
    async with world.tickets.session_factory() as s:
        return {t.number: t for t in await s.scalars(select(Ticket))}


class Queue:
    """A group's open tickets by next due time, checked against the rule at each step."""

    def __init__(self, world: Portal, group: str, numbers: list[str]) -> None:
        self.world, self.group, self.numbers = world, group, numbers

    async def check(self, expected: list[str]) -> dict[str, Ticket]:
        tickets = await _tickets(self.world)
        for ticket in tickets.values():
            assert ticket.next_due_at == _counted_due(ticket), ticket.number
        open_ = [tickets[n] for n in self.numbers if tickets[n].status not in DONE]
        by_rule = sorted(open_, key=lambda t: (t.next_due_at, t.seq))
        assert [t.number for t in by_rule] == expected
        query = f"state=open&group_id={self.group}"
        assert await _walk(self.world, f"{query}&sort=due") == expected
        assert await _walk(self.world, f"{query}&sort=-due") == expected[::-1]
        return tickets


async def _due_order_follows_answers_priorities_pauses_and_closing(world: Portal) -> None:
    r = await world.client.post(
        "/api/v1/agent-groups", json={"name": "Field service"}, headers=await world.admin()
    )
    assert r.status_code == 201, r.text
    group = r.json()["id"]
    p1, p2, p3, p4 = [
        (await world.ticket("ben", priority=p))["number"] for p in ("P1", "P2", "P3", "P4")
    ]
    for number in (p1, p2, p3, p4):
        await _patch(world, number, "erik", group_id=group)
    elsewhere = (await world.ticket("carla"))["number"]  # P4, in no group
    queue = Queue(world, group, [p1, p2, p3, p4])
    # Unanswered: the reaction targets (P1 4 business hours, P2 one day, P3 three, ...).
    await queue.check([p1, p2, p3, p4])

    # Answered: P1's resolution (16 h) counts now, after P2's reaction, before P3's.
    await _answer(world, p1)
    await queue.check([p2, p1, p3, p4])

    # P4 becomes P1: its new reaction target, counted from the opening, comes first.
    await _patch(world, p4, "erik", priority="P1")
    await queue.check([p4, p2, p1, p3])

    # Waiting for the customer: the due times stay as they stood at the pause.
    before = (await _tickets(world))[p2].next_due_at
    await _patch(world, p2, "erik", status="waiting_customer")
    assert (await queue.check([p4, p2, p1, p3]))[p2].next_due_at == before
    # The customer answers: the clock runs again, later by the pause's business time.
    r = await world.client.post(
        f"/api/v1/tickets/{p2}/articles",
        json={"body": "Log attached."},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 201, r.text
    resumed = await queue.check([p4, p2, p1, p3])
    moved = resumed[p2].next_due_at
    assert resumed[p2].status is Status.OPEN and before and moved and moved >= before

    # Closed: nothing is due, out of the open queue; listed after every due ticket.
    r = await world.client.post(f"/api/v1/tickets/{p1}/close", headers=await world.as_("ben"))
    assert r.status_code == 200, r.text
    await queue.check([p4, p2, p3])
    assert await _walk(world, f"group_id={group}&sort=due") == [p4, p2, p3, p1]
    assert await _walk(world, f"group_id={group}&sort=-due") == [p1, p3, p2, p4]
    assert await _walk(world, "state=open&sort=due", limit=3) == [p4, p2, p3, elsewhere]
    assert await _walk(world, f"state=open&group_id={group}&sla=breached&sort=due") == []


async def test_due_order_follows_the_ticket(world: Portal) -> None:
    await _due_order_follows_answers_priorities_pauses_and_closing(world)


async def test_due_order_follows_the_ticket_on_sqlite(sqlite_world: Portal) -> None:
    await _due_order_follows_answers_priorities_pauses_and_closing(sqlite_world)


async def test_desk_views_keep_the_queue_filters(world: Portal) -> None:
    query = {
        "page": "desk",
        "state": "open",
        "organization_id": world.orgs["acme"],
        "assignee": "none",
        "sla": "at_risk",
        "escalated": True,
        "sort": "due",
    }
    erik = await world.as_("erik")
    r = await world.client.post(
        "/api/v1/ticket-views", json={"name": "Acme at risk", "query": query}, headers=erik
    )
    assert r.status_code == 201, r.text
    views = (await world.client.get("/api/v1/ticket-views", headers=erik)).json()["items"]
    assert {k: views[0]["query"][k] for k in query} == query
    for bad in ({"sla": "late"}, {"assignee": "nobody"}, {"page": "other"}):
        r = await world.client.post(
            "/api/v1/ticket-views", json={"name": "Bad", "query": bad}, headers=erik
        )
        assert r.status_code == 422, bad
