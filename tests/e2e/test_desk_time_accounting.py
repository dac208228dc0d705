"""Time accounting on the work page: where the installation switches it on, the reply box
asks for the minutes spent and the ticket shows what was booked; without it, neither."""

from __future__ import annotations

import pytest
from portal_harness import Portal
from web_kit import browser, csrf


@pytest.fixture
def switched_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TICKETS_TIME_ACCOUNTING", "true")


@pytest.fixture
async def accounting_world(switched_on: None, sqlite_world: Portal) -> Portal:
    return sqlite_world


async def test_agents_book_minutes_with_a_reply(accounting_world: Portal) -> None:
    world = accounting_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/desk/{number}?lang=en")
        assert 'id="minutes"' in page.text and "Time spent (minutes)" in page.text
        assert '<dd id="time-spent">0 min</dd>' in page.text
        form = {"body": "Restarted the controller.", "kind": "reply", "csrf_token": csrf(erik)}
        wrong = await erik.post(f"/desk/{number}?lang=en", data={**form, "minutes": "ten"})
        assert wrong.status_code == 422 and 'id="minutes-error"' in wrong.text
        assert "Restarted the controller." in wrong.text  # the typed text stays
        r = await erik.post(f"/desk/{number}", data={**form, "minutes": "15"})
        assert r.status_code == 303, r.text
        again = await erik.get(f"/desk/{number}?lang=de")
        assert '<dd id="time-spent">15 Min.</dd>' in again.text
        assert "Aufgewendete Zeit (Minuten)" in again.text


async def test_without_time_accounting_no_minutes_are_asked(sqlite_world: Portal) -> None:
    number = (await sqlite_world.ticket("ben"))["number"]
    async with browser(sqlite_world, "erik") as erik:
        page = await erik.get(f"/desk/{number}?lang=en")
        assert page.status_code == 200
        assert 'id="minutes"' not in page.text and 'id="time-spent"' not in page.text
