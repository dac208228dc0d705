"""Priorities and reaction times in a real browser, against `portal dev --demo`: a
customer whose organization has no priority contract is offered no P1 to P3; one with a
contract raises P3 to P1 and reads the new due time in their zone, the zone named."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import httpx
from browser_kit import DEMO_PASSWORD, accessible, shoot, sign_in


def _ticket(base: str, username: str, number: str) -> dict:
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    ).json()["access_token"]
    r = httpx.get(f"{base}/api/v1/tickets/{number}", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200, r.text
    return r.json()


def _open_ticket(page, base: str, title: str, priority: str | None = None) -> str:
    page.goto(f"{base}/tickets/new?template=none&lang=en")
    page.fill("#title", title)
    if priority:
        page.check(f"#priority-{priority.lower()}")
    page.locator("#submit-ticket").click()
    page.wait_for_url(re.compile(r"/tickets/[^/?]+\?created=1"))
    return page.url.split("/tickets/")[1].split("?")[0]


def test_customer_without_priority_contract_is_offered_no_p1_to_p3(
    live_portal: str, browser
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_portal, "carla", lang="en")
    page.goto(f"{live_portal}/tickets/new?template=none&lang=en")
    assert page.locator("#priority-fixed").is_visible()
    assert page.locator("input[name=priority][type=radio]").count() == 0
    number = _open_ticket(page, live_portal, "Scanner at gate 3 is slow")

    assert page.locator("#ticket-priority").count() == 0  # no choice offered
    fixed = page.locator("#ticket-priority-fixed")
    assert "no priority contract; priority stays P4" in fixed.inner_text()
    assert _ticket(live_portal, "carla", number)["priority"] == "P4"
    accessible(page, "ticket-priority-fixed")
    context.close()


def test_raising_p3_to_p1_shows_the_new_due_time_in_the_viewers_zone(
    live_portal: str, browser
) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="en")
    number = _open_ticket(page, live_portal, "Robot arm stops mid-cycle", priority="P3")
    before = _ticket(live_portal, "ben", number)["sla"]["due_at"]

    options = page.locator("#ticket-priority option").all_inner_texts()
    assert options == ["P1", "P2", "P3", "P4"]
    page.select_option("#ticket-priority", "P1")
    page.locator("#details-save").click()
    page.wait_for_url(re.compile(rf"/tickets/{number}\?done=saved"))

    ticket = _ticket(live_portal, "ben", number)
    assert ticket["priority"] == "P1" and ticket["sla"]["due_at"] < before
    due = datetime.fromisoformat(ticket["sla"]["due_at"]).astimezone(ZoneInfo("Europe/Berlin"))
    sla = page.locator("#ticket-sla")
    shown = sla.inner_text()
    assert due.strftime("%Y-%m-%d %H:%M ") + due.tzname() in shown  # e.g. "… 14:30 CET"
    title = sla.locator("#ticket-sla-reaction time").get_attribute("title") or ""
    assert title.endswith("(Europe/Berlin)")
    shoot(page, "ticket-priority-raised")
    context.close()
