"""What one read costs the database: the statements a ticket's fetch and a page run.

Each statement is a round trip and, through the ORM, a fraction of a millisecond of
CPU; the count is what the speed work keeps small (see the README's performance
section). A change that adds a statement per request should be a decision, not an
accident."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from portal_harness import Portal
from sqlalchemy import event

pytestmark = pytest.mark.integration


@contextmanager
def statements(world: Portal) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        # The outbox relay and the consumers share the engine; their work is not the
        # request's (and `settle` has let it finish before the request is made).
        if "outbox_message" not in statement and "inbox_message" not in statement:
            seen.append(statement)

    engine = world.tickets.engine.sync_engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _tables(seen: list[str]) -> list[str]:
    """What each statement reads first (its FROM), for a readable failure."""
    return [s.split("FROM ", 1)[-1].split()[0] for s in seen]


async def _fetch(world: Portal, username: str, number: str) -> list[str]:
    headers = await world.as_(username)
    url = f"/api/v1/tickets/{number}"
    await world.client.get(url, headers=headers)  # the sign-in's first request is warm
    await world.settle()  # nothing else at work on the tickets database meanwhile
    with statements(world) as seen:
        r = await world.client.get(url, headers=headers)
    assert r.status_code == 200, r.text
    return _tables(seen)


async def test_a_customer_fetch_reads_the_contract_calendar_once(world: Portal) -> None:
    """The ticket, the reader's organization (the visibility rule), the names, the
    links and follow-ups, the organization's contracts with their calendars (the
    priorities the customer may choose; the ticket's calendar comes with them) and
    the survey: seven statements, none twice."""
    await world.contract(world.orgs["acme"], "Premium")
    t = await world.ticket("ben", priority="P2")
    read = await _fetch(world, "ben", t["number"])
    assert read == [
        "ticket",
        "directory_organization",
        "directory_user",
        "ticket_link",
        "ticket",
        "contract",
        "survey",
    ], read


async def test_a_desk_fetch_reads_no_contract_list(world: Portal) -> None:
    """The service desk may give any priority: no organization's contract list, only
    the ticket's own contract (with its calendar), and the minutes booked on it."""
    await world.contract(world.orgs["acme"], "Premium")
    t = await world.ticket("ben", priority="P2")
    read = await _fetch(world, "erik", t["number"])
    assert read == [
        "ticket",
        "directory_user",
        "directory_organization",
        "ticket_link",
        "ticket",
        "contract",
        "article",
        "survey",
    ], read


async def _create(world: Portal, username: str, **body: Any) -> tuple[dict[str, Any], list[str]]:
    headers = await world.as_(username)
    await world.settle()
    with statements(world) as seen:
        r = await world.client.post(
            "/api/v1/tickets", json={"title": "Printer jams", **body}, headers=headers
        )
    assert r.status_code == 201, r.text
    return r.json(), seen


async def _as_fetched(world: Portal, username: str, number: str) -> dict[str, Any]:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(username))
    assert r.status_code == 200, r.text
    return r.json()


async def test_a_new_ticket_is_answered_as_a_fetch_shows_it_without_what_it_cannot_have(
    world: Portal,
) -> None:
    """The answer to a creation skips the reads a ticket opened by that very request
    cannot need (links to it, its follow-ups, its survey, time booked on it), and is
    still the ticket exactly as a fetch shows it: to a customer, to the desk, and for
    a follow-up, which names the ticket it continues."""
    await world.contract(world.orgs["acme"], "Premium")
    created, seen = await _create(world, "ben", priority="P2")
    assert not {"ticket_link", "survey"} & set(_tables(seen)), _tables(seen)
    assert not [s for s in seen if "follow_up_of IN" in s]  # no follow-ups read
    assert created == await _as_fetched(world, "ben", created["number"])

    for_desk, seen = await _create(
        world, "erik", organization_id=world.orgs["acme"], contact_id=world.ids["ben"]
    )
    assert not {"ticket_link", "survey"} & set(_tables(seen)), _tables(seen)
    assert not [s for s in seen if "sum(article.minutes)" in s]  # no booked time read
    assert for_desk == await _as_fetched(world, "erik", for_desk["number"])

    closed = await world.client.post(
        f"/api/v1/tickets/{created['number']}/close", headers=await world.as_("erik")
    )
    assert closed.status_code == 200, closed.text
    follow_up, _ = await _create(world, "ben", follow_up_of=created["number"])
    assert [link["kind"] for link in follow_up["links"]] == ["follow_up_of"]
    assert follow_up == await _as_fetched(world, "ben", follow_up["number"])
