"""The agent desk in the browser: the queue of both organizations with SLA indicators
(reaction, resolution, a pause while waiting for the customer), assigning, quick status
changes, and the work page with the SLA clock and the terms, replies and internal notes
that customers never see; customers find no desk at all."""

from __future__ import annotations

import html
import re
import uuid
from datetime import UTC, datetime, timedelta

from files_harness import png
from portal_harness import Portal
from sqlalchemy import update
from web_kit import browser, csrf

from portal_tickets.ticket.models import Ticket


async def overdue(world: Portal, number: str, hours: float) -> None:
    async with world.tickets.session_factory() as s:
        due = datetime.now(UTC) - timedelta(hours=hours)
        await s.execute(update(Ticket).where(Ticket.number == number).values(sla_due_at=due))
        await s.commit()


async def api_ticket(world: Portal, number: str, user: str) -> dict:
    r = await world.client.get(f"/api/v1/tickets/{number}", headers=await world.as_(user))
    assert r.status_code == 200, r.text
    return r.json()


async def test_customers_find_no_desk(sqlite_world: Portal) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben")
    anonymous = await world.client.get("/desk")
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=/desk"
    for customer in ("ben", "carla"):
        async with browser(world, customer) as ben:
            for path in ("/desk", f"/desk/{ticket['number']}", "/desk?lang=de"):
                page = await ben.get(path)
                assert page.status_code == 404, path
                assert ticket["number"] not in page.text
            r = await ben.post(
                f"/desk/{ticket['number']}",
                data={"body": "Sneaky", "kind": "internal", "csrf_token": csrf(ben)},
            )
            assert r.status_code == 404
            r = await ben.post(
                f"/desk/{ticket['number']}/assign", data={"csrf_token": csrf(ben), "back": ""}
            )
            assert r.status_code == 404
    assert (await api_ticket(world, ticket["number"], "erik"))["assignee"] is None


async def test_queue_lists_both_organizations_with_sla_state(sqlite_world: Portal) -> None:
    world = sqlite_world
    late = await world.ticket("ben", title="Conveyor <b>stops</b>", priority="P1")
    fresh = await world.ticket("carla", title="Printer offline")
    await overdue(world, late["number"], 3)
    async with browser(world, "erik") as erik:
        page = await erik.get("/desk?lang=en")
        assert page.status_code == 200
        text = page.text
        assert "Agent desk" in text and 'aria-current="page">Unassigned' in text
        assert late["number"] in text and fresh["number"] in text
        assert "Acme" in text and "Globex" in text
        assert "Conveyor &lt;b&gt;stops&lt;/b&gt;" in text and "<b>stops</b>" not in text
        # Breached says so in words, not by colour alone; a fresh ticket shows time left.
        assert 'class="sla sla-breached"' in text and "breached 3 h ago" in text
        assert "left</span>" in text
        # The resolution target has a column of its own, its due time in the title.
        assert "Resolution</th>" in text and f'id="resolution-{fresh["number"]}"' in text
        # Sorted by SLA due time: the overdue ticket comes first.
        assert text.index(f'id="row-{late["number"]}"') < text.index(f'id="row-{fresh["number"]}"')
        assert f'href="/tickets/{late["number"]}"' in text

        breached = await erik.get("/desk?tab=open&sla=breached")
        assert late["number"] in breached.text and fresh["number"] not in breached.text
        globex = await erik.get(f"/desk?tab=open&organization={world.orgs['globex']}")
        assert fresh["number"] in globex.text and f'id="row-{late["number"]}"' not in globex.text
        p1 = await erik.get("/desk?tab=open&priority=P1")
        assert (
            f'id="row-{late["number"]}"' in p1.text and f'id="row-{fresh["number"]}"' not in p1.text
        )

        german = await erik.get("/desk?lang=de")
        assert "Agenten-Arbeitsplatz" in german.text and "Nicht zugewiesen" in german.text
        assert "seit 3 Std. überschritten" in german.text and "Mir zuweisen" in german.text


def part(page: str, element_id: str) -> str:
    """The element with `element_id`, up to its first closing tag of that name."""
    found = re.search(rf'<(\w+)[^>]* id="{element_id}"[^>]*>.*?</\1>', page, re.S)
    assert found, element_id
    return found.group()


async def test_work_page_and_queue_show_both_targets_the_terms_and_a_pause(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    await world.contract(world.orgs["acme"], "Gold")
    ticket = await world.ticket("ben", title="Pump leaks", priority="P2")
    number = ticket["number"]
    other = (await world.ticket("carla", title="Printer offline"))["number"]
    async with browser(world, "erik") as erik:
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        reaction = part(page, "sla-reaction")
        assert 'id="sla"' in reaction and "left</span>" in reaction
        assert "target 6 business hours" in reaction and " · due <time " in reaction
        resolution = part(page, "sla-resolution")
        assert 'class="sla sla-ok"' in resolution and "target 24 business hours" in resolution
        assert "Gold" in part(page, "sla-contract") and 'id="sla-paused"' not in page
        other_page = (await erik.get(f"/desk/{other}?lang=en")).text
        assert "standard terms (no contract)" in part(other_page, "sla-contract")

        # The agent asks the customer (quick status in the queue): the clock pauses.
        r = await erik.post(
            f"/desk/{number}/status",
            data={"status": "waiting_customer", "csrf_token": csrf(erik), "back": "tab=open"},
        )
        assert r.status_code == 303, r.text
        queue = (await erik.get("/desk?tab=open&lang=en")).text
        row = part(queue, f"row-{number}")
        mark = re.search(rf'<span [^>]*id="paused-{number}".*?</span>paused</span>', row)
        assert mark and 'title="waiting for the customer since ' in mark.group()
        assert f'class="sla sla-paused" id="resolution-{number}"' in row
        assert f'id="paused-{other}"' not in queue
        page = (await erik.get(f"/desk/{number}?lang=en")).text
        assert "waiting for the customer since <time " in part(page, "sla-paused")
        assert 'class="sla sla-paused"' in part(page, "sla-resolution")
        german = (await erik.get(f"/desk/{number}?lang=de")).text
        assert "wartet seit <time " in part(german, "sla-paused")
        assert "Lösung" in german and "Vertrag" in german
    async with browser(world, "ben") as ben:
        page = (await ben.get(f"/tickets/{number}?lang=en")).text
        assert "Paused: waiting for your answer since" in part(page, "ticket-sla-paused")


async def test_assign_to_me_and_quick_status_change(sqlite_world: Portal) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben")
    number = ticket["number"]
    async with browser(world, "erik") as erik:
        # Without the CSRF token nothing changes.
        refused = await erik.post(f"/desk/{number}/assign", data={"back": "tab=unassigned"})
        assert refused.status_code == 403 and "Your form expired" in refused.text
        assert (await api_ticket(world, number, "erik"))["assignee"] is None

        r = await erik.post(
            f"/desk/{number}/assign", data={"csrf_token": csrf(erik), "back": "tab=unassigned"}
        )
        assert r.status_code == 303
        assert r.headers["location"] == f"/desk?tab=unassigned&done=assigned&ticket={number}"
        assert (await api_ticket(world, number, "erik"))["assignee"]["id"] == world.ids["erik"]
        done = await erik.get(r.headers["location"] + "&lang=en")
        assert f"{number} is now assigned to you." in done.text
        assert f'id="row-{number}"' not in done.text  # no longer unassigned
        mine = await erik.get("/desk?tab=mine")
        assert f'id="row-{number}"' in mine.text and "Erik" in mine.text

        r = await erik.post(
            f"/desk/{number}/status",
            data={"status": "waiting_customer", "csrf_token": csrf(erik), "back": "tab=mine"},
        )
        assert r.status_code == 303 and r.headers["location"].startswith("/desk?tab=mine&")
        assert (await api_ticket(world, number, "erik"))["status"] == "waiting_customer"
        assert (await api_ticket(world, number, "ben"))["portal_status"] == "answer_expected"
        bad = await erik.post(
            f"/desk/{number}/status",
            data={"status": "vanished", "csrf_token": csrf(erik), "back": "tab=mine"},
        )
        assert bad.status_code == 422 and 'role="alert"' in bad.text
        assert (await api_ticket(world, number, "erik"))["status"] == "waiting_customer"


async def test_internal_note_reply_status_and_assignee_from_the_work_page(
    sqlite_world: Portal,
) -> None:
    world = sqlite_world
    ticket = await world.ticket("ben", description="It stopped\nat noon")
    number = ticket["number"]
    async with browser(world, "erik") as erik:
        page = await erik.get(f"/desk/{number}?lang=en")
        assert page.status_code == 200
        assert "It stopped\nat noon" in page.text and 'id="work-form"' in page.text
        assert '<script src="/static/upload.js" defer>' in page.text
        assert 'for="body"' in page.text and 'for="assignee_id"' in page.text
        assert "Erik (erik)" in page.text  # the agents to assign to

        note = "Customer is <b>VIP</b>, call before noon"
        r = await erik.post(
            f"/desk/{number}",
            data={
                "body": note,
                "kind": "internal",
                "status": "new",
                "current_status": "new",
                "assignee_id": "",
                "current_assignee": "",
                "csrf_token": csrf(erik),
            },
        )
        assert (
            r.status_code == 303
            and r.headers["location"] == f"/desk/{number}?done=saved#conversation"
        )
        shown = await erik.get(f"/desk/{number}?done=saved&lang=en")
        assert "Internal note" in shown.text and "Saved." in shown.text
        assert "Customer is &lt;b&gt;VIP&lt;/b&gt;" in shown.text and "<b>VIP</b>" not in shown.text
        assert "article-internal_note" in shown.text

        # A reply to the customer with a screenshot, a status and an assignee in one go.
        upload = await erik.post(
            "/api/v1/files",
            files={"file": ("steps <2>.png", png(100), "image/png")},
            headers={"X-CSRF-Token": csrf(erik)},
        )
        assert upload.status_code == 201, upload.text
        await world.settle()  # the tickets service learns of the file by its event
        r = await erik.post(
            f"/desk/{number}",
            data={
                "body": "We are on it.",
                "kind": "reply",
                "attachment_ids": upload.json()["id"],
                "status": "waiting_customer",
                "current_status": "new",
                "assignee_id": world.ids["erik"],
                "current_assignee": "",
                "csrf_token": csrf(erik),
            },
        )
        assert r.status_code == 303, r.text
        after = await api_ticket(world, number, "erik")
        assert after["status"] == "waiting_customer"
        assert after["assignee"]["id"] == world.ids["erik"]
        worked = await erik.get(f"/desk/{number}")
        file_link = f'href="/api/v1/files/{upload.json()["id"]}/content">'
        assert file_link + html.escape(upload.json()["name"]) + "</a>" in worked.text

    articles = await world.client.get(
        f"/api/v1/tickets/{number}/articles", headers=await world.as_("ben")
    )
    bodies = [a["body"] for a in articles.json()["items"]]
    assert "We are on it." in bodies and not any("VIP" in b for b in bodies)
    async with browser(world, "ben") as ben:
        assert (await ben.get(f"/desk/{number}")).status_code == 404


async def test_work_form_keeps_what_was_typed_when_refused(sqlite_world: Portal) -> None:
    world = sqlite_world
    number = (await world.ticket("ben"))["number"]
    async with browser(world, "erik") as erik:
        base = {"status": "new", "current_status": "new", "assignee_id": "", "current_assignee": ""}
        nothing = await erik.post(f"/desk/{number}", data={**base, "csrf_token": csrf(erik)})
        assert nothing.status_code == 422
        assert "Write a message, or change the status or the assignee." in nothing.text

        typed = "Long answer I do not want to type again"
        expired = await erik.post(f"/desk/{number}", data={**base, "body": typed})
        assert expired.status_code == 403 and typed in expired.text

        unknown_file = str(uuid.uuid4())
        refused = await erik.post(
            f"/desk/{number}",
            data={
                **base,
                "body": typed,
                "kind": "reply",
                "attachment_ids": unknown_file,
                "csrf_token": csrf(erik),
            },
        )
        assert refused.status_code == 422
        assert typed in refused.text and "No such file." in refused.text
        assert 'id="attachments-error"' in refused.text
        articles = await world.client.get(
            f"/api/v1/tickets/{number}/articles", headers=await world.as_("erik")
        )
        assert articles.json()["items"] == []

        missing = await erik.get("/desk/T999999?lang=de")
        assert missing.status_code == 404 and "Dieses Ticket gibt es nicht." in missing.text
