"""The demo at first sight: the main pages as the demo customer, agent and admin see them
right after `portal dev --demo`, each photographed whole (`screenshots/demo-*.png` in
the test artifacts) and each showing the demo story's content, never an empty page."""

from __future__ import annotations

from typing import Any

import httpx
from browser_kit import DEMO_PASSWORD, shoot

ADMIN_PASSWORD = "admin-demo-2026"
ROBOT = "Roboterzelle 3 stoppt mit Servofehler E-217"
PRINTER = "Etikettendrucker LP-40 druckt leere Etiketten"


def _numbers(base: str) -> dict[str, str]:
    """The demo tickets' numbers by title, as the agent lists them."""
    login = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": "erik", "password": DEMO_PASSWORD}
    )
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    listed = httpx.get(f"{base}/api/v1/tickets", params={"limit": 100}, headers=auth)
    return {t["title"]: t["number"] for t in listed.json()["items"]}


def _signed_in(browser: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> Any:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/login?lang=en")
    page.fill("#username", username)
    page.fill("#password", password)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return page


def _visit(page: Any, url: str, name: str, *expected: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    text = page.locator("main").inner_text()
    missing = [e for e in expected if e.lower() not in text.lower()]
    shoot(page, f"demo-{name}")
    assert not missing, f"{name}: {missing} not on {url}"


def test_demo_pages_show_the_demo_story(live_portal: str, browser: Any) -> None:
    numbers = _numbers(live_portal)
    robot, printer = numbers[ROBOT], numbers[PRINTER]

    # The customer (German profile): his organization's tickets, the robot's thread with
    # its attachments and case file, notifications, his share, FAQ and reports.
    page = _signed_in(browser, live_portal, "ben")
    _visit(page, f"{live_portal}/", "customer-home", robot)
    _visit(page, f"{live_portal}/tickets", "customer-tickets", robot, printer)
    _visit(
        page,
        f"{live_portal}/tickets/{robot}",
        "customer-ticket",
        ROBOT,
        "Erik Hotline",
        "rx200-zelle3-controller.log",
        "bedienpanel-e217.png",
        "Servicebericht-Zelle3.pdf",
        "Service-Einsatz",
    )
    assert "Lager Hamburg" not in page.locator("main").inner_text()  # internal note
    _visit(page, f"{live_portal}/notifications", "customer-notifications", ROBOT)
    _visit(page, f"{live_portal}/exchanges", "customer-exchanges", "Messdaten Zelle 3")
    _visit(page, f"{live_portal}/faq", "customer-faq", "Passwort")
    _visit(page, f"{live_portal}/reports", "customer-reports", "P1")
    page.context.close()

    # The agent: the queue with SLA states, the work page with the internal note.
    page = _signed_in(browser, live_portal, "erik")
    _visit(page, f"{live_portal}/desk", "agent-desk", printer, "Quote for two additional")
    _visit(
        page,
        f"{live_portal}/desk/{robot}",
        "agent-desk-ticket",
        ROBOT,
        "Lager Hamburg",
        "Servicebericht-Zelle3.pdf",
    )
    _visit(page, f"{live_portal}/tickets/{robot}", "agent-ticket", ROBOT, "Lager Hamburg")
    _visit(page, f"{live_portal}/tickets", "agent-tickets", robot, printer)
    _visit(page, f"{live_portal}/notifications", "agent-notifications", printer)
    _visit(page, f"{live_portal}/exchanges", "agent-exchanges", "PL-2 firmware 3.4.1")
    _visit(page, f"{live_portal}/reports", "agent-reports", "P1")
    page.context.close()

    # The admin: every ticket, and the organizations behind them.
    page = _signed_in(browser, live_portal, "admin", ADMIN_PASSWORD)
    _visit(page, f"{live_portal}/tickets", "admin-tickets", robot, "Hand scanner HS-5")
    _visit(page, f"{live_portal}/admin/organizations", "admin-organizations", "Acme Robotics GmbH")
    page.context.close()
