"""The desk's queue in the browser: its own views (unassigned, mine, breached, escalated,
waiting for the customer) with their counts, filters that narrow the rows (SLA at risk,
organization, assignee, search), saved views with their counts, and bulk actions on
ticked tickets with a summary of what took and what was refused; customers find none of
it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from portal_harness import Portal
from sqlalchemy import update
from web_kit import browser, csrf

from portal_tickets.ticket.models import Ticket


async def move_back(world: Portal, number: str, **columns: datetime) -> None:
    """Let time pass: put stored moments of the ticket's clock into the past."""
    async with world.tickets.session_factory() as s:
        await s.execute(update(Ticket).where(Ticket.number == number).values(**columns))
        await s.commit()


async def api(world: Portal, method: str, path: str, user: str, **body: Any) -> Any:
    r = await world.client.request(
        method, f"/api/v1/tickets{path}", json=body or None, headers=await world.as_(user)
    )
    assert r.status_code < 300, r.text
    return r.json()


def part(page: str, element_id: str) -> str:
    """The element with `element_id`, up to its first closing tag of that name."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>.*?</\1>', page, re.S)
    assert found, element_id
    return found.group()


def shown(page: str) -> set[str]:
    """The numbers of the tickets the queue lists."""
    return set(re.findall(r'<tr id="row-([^"]+)"', page))


def count(page: str, element_id: str) -> int:
    found = re.search(r'<span class="count"[^>]*>(\d+)</span>', part(page, element_id))
    assert found, element_id
    return int(found.group(1))


async def a_queue(world: Portal) -> dict[str, str]:
    """One ticket of each kind the desk chases, and one assigned to Erik."""
    now = datetime.now(UTC)
    numbers = {
        kind: (await world.ticket(user, title=f"{kind} case"))["number"]
        for kind, user in (
            ("escalated", "ben"),
            ("waiting", "carla"),
            ("breached", "ben"),
            ("at_risk", "carla"),
            ("mine", "ben"),
        )
    }
    await api(world, "POST", f"/{numbers['escalated']}/escalate", "ben", body="Urgent!")
    await api(world, "PATCH", f"/{numbers['waiting']}", "erik", status="waiting_customer")
    await move_back(world, numbers["breached"], sla_due_at=now - timedelta(hours=2))
    await move_back(
        world,
        numbers["at_risk"],
        created_at=now - timedelta(hours=4),
        sla_due_at=now + timedelta(minutes=30),
    )
    await api(world, "PATCH", f"/{numbers['mine']}", "erik", assignee_id=world.ids["erik"])
    return numbers


async def test_views_count_and_filters_narrow_the_rows(sqlite_world: Portal) -> None:
    world = sqlite_world
    n = await a_queue(world)
    async with browser(world, "erik") as erik:
        page = (await erik.get("/desk?lang=en")).text
        assert 'aria-current="page">Unassigned' in page
        assert shown(page) == {n["escalated"], n["waiting"], n["breached"], n["at_risk"]}
        expected = {"unassigned": 4, "mine": 1, "open": 5, "breached": 1, "escalated": 1}
        for tab, total in {**expected, "waiting": 1}.items():
            assert count(page, f"tab-{tab}") == total, tab
        assert "Waiting for customer" in part(page, "tab-waiting")
        # The escalated ticket says so in its row.
        assert f'id="escalated-{n["escalated"]}"' in part(page, f"row-{n['escalated']}")

        for tab in ("breached", "escalated", "waiting", "mine"):
            view = (await erik.get(f"/desk?tab={tab}")).text
            assert shown(view) == {n[tab]}, tab
            assert 'aria-current="page"' in part(view, f"tab-{tab}")

        # The filter form sends every field; "any" everywhere is all open tickets.
        form = "assignee=&organization=&priority=&status=&sla=at_risk&sort=due"
        risky = (await erik.get(f"/desk?{form}")).text
        assert shown(risky) == {n["at_risk"]}
        assert 'aria-current="page"' not in part(risky, "tab-open")
        assert '<option value="at_risk" selected>' in risky
        globex = world.orgs["globex"]
        carla = (await erik.get(f"/desk?tab=open&organization={globex}")).text
        assert shown(carla) == {n["waiting"], n["at_risk"]}
        erik_id = world.ids["erik"]
        assigned = (await erik.get(f"/desk?assignee={erik_id}")).text
        assert shown(assigned) == {n["mine"]}
        escalated = (await erik.get("/desk?tab=open&escalated=1&sla=breached")).text
        assert shown(escalated) == set()
        found = (await erik.get(f"/desk?tab=open&q={n['breached']}")).text
        assert shown(found) == {n["breached"]}
        assert f'id="filter-q" name="q" value="{n["breached"]}"' in found

        german = (await erik.get("/desk?lang=de")).text
        assert "Überschritten" in part(german, "tab-breached")
        assert "Wartet auf Kunden" in part(german, "tab-waiting")
        assert "Tastenkürzel" in german and "gefährdet" in german


async def test_saved_views_show_with_their_counts(sqlite_world: Portal) -> None:
    world = sqlite_world
    n = await a_queue(world)
    globex = world.orgs["globex"]
    back = f"organization={globex}&sla=at_risk"
    async with browser(world, "erik") as erik:
        r = await erik.post(
            "/desk/views?lang=en",
            data={"name": "Globex at risk", "back": back, "csrf_token": csrf(erik)},
        )
        assert r.status_code == 303, r.text
        assert r.headers["location"].startswith(f"/desk?{back}&done=view_saved")
        page = (await erik.get(r.headers["location"] + "&lang=en")).text
        assert "The view “Globex at risk” was saved." in page
        assert shown(page) == {n["at_risk"]}
        views = part(page, "saved-views")
        link = re.search(r'<a id="(view-[^"]+)"[^>]*aria-current="page"', views)
        assert link, views
        assert "Globex at risk" in part(page, link.group(1))
        assert count(page, link.group(1)) == 1

        # The same name again, and no name at all, are refused next to the field.
        again = await erik.post(
            "/desk/views?lang=en",
            data={"name": "Globex at risk", "back": "tab=open", "csrf_token": csrf(erik)},
        )
        assert again.status_code == 409
        assert "You have a view with this name already." in again.text
        empty = await erik.post(
            "/desk/views", data={"name": " ", "back": "tab=open", "csrf_token": csrf(erik)}
        )
        assert empty.status_code == 422 and 'id="view-name-error"' in empty.text
        expired = await erik.post("/desk/views", data={"name": "x", "back": "tab=open"})
        assert expired.status_code == 403

        # A desk view is the desk's: the ticket list does not offer it.
        assert "Globex at risk" not in (await erik.get("/tickets")).text

        view_id = link.group(1).removeprefix("view-")
        r = await erik.post(
            f"/desk/views/{view_id}/delete",
            data={"back": "tab=open", "csrf_token": csrf(erik)},
        )
        assert r.status_code == 303 and r.headers["location"] == "/desk?tab=open&done=view_deleted"
        page = (await erik.get(r.headers["location"] + "&lang=en")).text
        assert "The view was deleted." in page and "Globex at risk" not in page


async def bulk(erik: httpx.AsyncClient, numbers: list[str], url: str, **form: str) -> Any:
    data = {"number": numbers, "back": "tab=open", "csrf_token": csrf(erik), **form}
    return await erik.post(url, data=data)


async def test_bulk_assign_and_close_with_a_summary(world: Portal) -> None:
    numbers = [(await world.ticket(u, title="Bulk case"))["number"] for u in ("ben", "anna")]
    numbers.append((await world.ticket("carla", title="Bulk case"))["number"])
    merged = (await world.ticket("ben", title="Same again"))["number"]
    async with browser(world, "erik") as erik:
        page = (await erik.get("/desk?tab=open&lang=en")).text
        assert 'id="bulk"' in part(page, "bulk") and 'form="bulk"' in page
        assert '<script src="/static/desk-queue.js" defer></script>' in page
        assert "<kbd>j</kbd>" in part(page, "shortcuts")

        r = await bulk(erik, numbers, "/desk/bulk?lang=en", assignee="me", note="Second level")
        assert r.status_code == 200, r.text
        assert "3 changed, 0 refused" in part(r.text, "bulk-result")
        for number in numbers:
            ticket = await api(world, "GET", f"/{number}", "erik")
            assert ticket["assignee"]["id"] == world.ids["erik"]
            notes = await api(world, "GET", f"/{number}/articles", "erik")
            assert any(a["internal"] and a["body"] == "Second level" for a in notes["items"])
        mine = (await erik.get("/desk?tab=mine")).text
        assert shown(mine) == set(numbers)

        # A ticket merged meanwhile (in another tab) takes no note; the page says which.
        await api(world, "POST", f"/{merged}/merge", "erik", into=numbers[0])
        r = await bulk(erik, [numbers[1], merged], "/desk/bulk?lang=en", note="Called back")
        assert r.status_code == 200, r.text
        result = part(r.text, "bulk-result")
        assert 'role="alert"' in result and "1 changed, 1 refused:" in result
        assert f"{merged}</a> — The ticket was merged into {numbers[0]}." in result

        # Closing the three, and one the page still listed that is gone: refused, in German.
        r = await bulk(erik, [*numbers, "T999999"], "/desk/bulk?lang=de", status="closed")
        assert r.status_code == 200, r.text
        result = part(r.text, "bulk-result")
        assert 'role="alert"' in result and "3 geändert, 1 abgelehnt:" in result
        assert "T999999</a> — Dieses Ticket gibt es nicht." in result
        for number in numbers:
            assert (await api(world, "GET", f"/{number}", "erik"))["status"] == "closed"
        assert not shown(r.text) & set(numbers)  # the queue shows open work only

        # The page refuses what it can tell by itself, and keeps the form's values.
        none = await bulk(erik, [], "/desk/bulk?lang=en", status="open")
        assert none.status_code == 422 and "Select at least one ticket." in none.text
        idle = await bulk(erik, numbers, "/desk/bulk?lang=en")
        assert idle.status_code == 422 and "Choose a change or write a note." in idle.text
        expired = await erik.post("/desk/bulk", data={"number": numbers, "status": "open"})
        assert expired.status_code == 403


async def test_customers_find_no_queue_actions(sqlite_world: Portal) -> None:
    world = sqlite_world
    ticket = (await world.ticket("ben"))["number"]
    async with browser(world, "ben") as ben:
        for path in ("/desk", "/desk?tab=escalated", "/desk?sla=at_risk"):
            page = await ben.get(path)
            assert page.status_code == 404 and ticket not in page.text
        r = await ben.post(
            "/desk/bulk", data={"number": [ticket], "status": "closed", "csrf_token": csrf(ben)}
        )
        assert r.status_code == 404
        r = await ben.post("/desk/views", data={"name": "Mine", "csrf_token": csrf(ben)})
        assert r.status_code == 404
    assert (await api(world, "GET", f"/{ticket}", "erik"))["status"] == "new"
