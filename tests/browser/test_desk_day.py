"""A day at the desk in a real browser against `portal dev --demo`: the admin sets up a
second agent, the agent group "Robotics" with a routing rule for the product of Acme's
robot cell, and a text module in each language. An agent takes a call, opens the
ticket for the caller (routed to Robotics by the asset's product) and answers with the
English module, whose status the reply applies; closes three tickets at once from the
queue; moves through the queue by keyboard; and sees a colleague arrive on the same
ticket and start writing. The work page once more in German: the colleague's notice
and the German module. Every desk and admin page (the merge confirmation and the desk
report too) is photographed and checked with axe-core (test-artifacts/)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from browser_kit import DEMO_PASSWORD, accessible, shoot, sign_in
from playwright.sync_api import expect

ADMIN_PASSWORD = "admin-demo-2026"  # the demo's admin (portal_identity.demo)
AGENT, AGENT_NAME = "erik", "Erik Hotline"  # the demo's one agent
SECOND, SECOND_NAME = "frida", "Frida Nord"  # the colleague the admin adds
CUSTOMER, CUSTOMER_NAME = "ben", "Ben Weber"  # Acme Robotics, owner of the robot cell
ASSET_SERIAL = "ACME-ZELLE-3"  # the demo story's robot cell ...
PRODUCT = "RX-200 Schweißroboter"  # ... and its product
GROUP = "Robotics"
MODULE_EN = "Robot cell: axis log needed"
MODULE_DE = "Roboterzelle: Achsprotokoll anfordern"
BODY_EN = (
    "Dear {{customer.name}},\n\nthank you for your call about ticket {{ticket.number}}. "
    "Please send us the controller log of axis 4; we continue as soon as it arrives."
)
BODY_DE = (
    "Guten Tag {{customer.name}},\n\nvielen Dank für Ihren Anruf zu Ticket "
    "{{ticket.number}}. Bitte senden Sie uns das Controller-Protokoll der Achse 4."
)
WORK_PAGE = re.compile(r"/desk/T\d+(\?.*)?(#.*)?$")


@dataclass
class Day:
    """What the tests of this file hand on to each other (they run in order on the
    module's portal, as the day does)."""

    phone_ticket: str = ""


@pytest.fixture(scope="module")
def day() -> Day:
    return Day()


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """What another browser did reaches a page through the live stream: on a busy
    machine that may take longer than expect's 5 s (each wait ends when it shows)."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def _context(browser: Any, base: str, username: str, *, lang: str = "en") -> Any:
    """A browser of its own (own cookies), signed in, on the start page."""
    context = browser.new_context(locale="de-DE" if lang == "de" else "en-US")
    page = context.new_page()
    if username == "admin":  # the one demo user with a password of its own
        page.goto(f"{base}/login?lang={lang}")
        page.fill("#username", username)
        page.fill("#password", ADMIN_PASSWORD)
        page.locator("form[action='/login'] button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in url)
    else:
        sign_in(page, base, username, lang=lang)
    # Signing in takes the language of the person's profile (erik and ben read German);
    # `lang` in the address keeps the one the test reads in.
    page.goto(f"{base}/?lang={lang}")
    return page


def _api(base: str, username: str) -> httpx.Client:
    token = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    ).json()["access_token"]
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=30)


def _ticket(base: str, username: str, number: str) -> dict[str, Any]:
    with _api(base, username) as client:
        r = client.get(f"/api/v1/tickets/{number}")
    assert r.status_code == 200, r.text
    ticket: dict[str, Any] = r.json()
    return ticket


def _page_check(page: Any, name: str) -> None:
    shoot(page, name)
    accessible(page, name)


# -- the admin sets the desk up ------------------------------------------------------------


def _notice(page: Any) -> str:
    text: str = page.locator("p.notice[role=status]").inner_text()
    return text


def _add_agent(page: Any, base: str) -> None:
    """The second agent, through the users page (with a password: no invitation)."""
    page.goto(f"{base}/admin/users/new")
    page.fill("#username", SECOND)
    page.fill("#email", f"{SECOND}@vendor.example")
    page.fill("#display_name", SECOND_NAME)
    page.uncheck("#role-customer")  # the form's default
    page.check("#role-agent")
    page.select_option("#language", "en")
    page.fill("#password", DEMO_PASSWORD)
    page.locator("#save-user").click()
    page.wait_for_url("**/admin/users?*done=user_created*")


def _add_group(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/groups")
    page.locator("#new-group").click()
    page.wait_for_url("**/admin/groups/new")
    page.fill("#name", GROUP)
    page.select_option("#lead_id", label=f"{AGENT_NAME} ({AGENT})")
    for position, name in enumerate((AGENT_NAME, SECOND_NAME), start=1):
        row = page.locator("#members tbody tr", has_text=f"{name} (")
        row.locator("input[type=checkbox]").check()
        row.locator("input.position").fill(str(position))
    page.locator("#save-group").click()
    page.wait_for_url("**/admin/groups?*done=*")
    assert _notice(page) == f"The agent group {GROUP} was created."
    row = page.locator("#group-list tbody tr", has_text=GROUP)
    members = row.locator("td").nth(1).inner_text()
    assert AGENT_NAME in members and SECOND_NAME in members
    _page_check(page, "admin-groups")


def _add_rule(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/routing")
    page.locator("#new-rule").click()
    page.wait_for_url("**/admin/routing/new")
    page.select_option("#group_id", label=GROUP)
    page.fill("#product", PRODUCT)
    page.locator("#save-rule").click()
    page.wait_for_url("**/admin/routing?*done=*")
    assert _notice(page) == f"The rule for {GROUP} was created."
    sentence = page.locator("#rule-list tbody tr .rule-sentence").inner_text()
    assert PRODUCT in sentence and sentence.endswith("→")
    _page_check(page, "admin-routing")


def _add_module(page: Any, base: str, name: str, language: str, body: str, status: str) -> None:
    page.goto(f"{base}/admin/text-modules/new")
    page.fill("#name", name)
    page.select_option("#language", language)
    page.fill("#body", body)
    page.fill("#keywords", "robot, axis, log")
    page.select_option("#set_status", status)
    page.locator("#save-module").click()
    page.wait_for_url("**/admin/text-modules?*done=*")
    assert _notice(page) == f"The text module {name} was created."


def test_the_admin_sets_up_groups_routing_and_text_modules(live_portal: str, browser: Any) -> None:
    page = _context(browser, live_portal, "admin")
    _add_agent(page, live_portal)
    _add_group(page, live_portal)
    _add_rule(page, live_portal)
    _add_module(page, live_portal, MODULE_DE, "de", BODY_DE, "")
    _add_module(page, live_portal, MODULE_EN, "en", BODY_EN, "waiting_customer")
    rows = page.locator("#module-list tbody tr")
    assert rows.count() == 2
    assert "waiting for customer" in rows.filter(has_text=MODULE_EN).inner_text()
    _page_check(page, "admin-text-modules")
    page.context.close()


# -- a phone call ----------------------------------------------------------------------


def _open_for_caller(page: Any, base: str) -> str:
    """From the queue to the new-ticket form, the caller found by name as typed."""
    page.goto(f"{base}/desk/new")
    _page_check(page, "desk-new")
    page.locator("#contact-search").press_sequentially("Weber")
    caller = page.locator("#contact-results a", has_text=CUSTOMER_NAME)
    caller.click()
    page.wait_for_url("**/desk/new?contact=*")
    assert page.locator("#caller-name").inner_text() == f"{CUSTOMER_NAME} ({CUSTOMER})"
    assert page.locator("#channel").input_value() == "phone"  # a call, unless said otherwise
    _page_check(page, "desk-new-form")
    page.fill("#title", "Robot cell 3 stops again with E-217")
    page.fill("#description", "Called in: the welding robot stops every hour since the night.")
    page.select_option("#channel", "phone")
    page.select_option("#priority", "P2")
    page.fill("#asset_id", ASSET_SERIAL)
    page.locator("#open-ticket").click()
    page.wait_for_url(WORK_PAGE)
    number: str = page.url.split("/desk/")[1].split("?")[0]
    return number


def test_an_agent_opens_a_ticket_for_a_caller_and_it_is_routed(
    live_portal: str, browser: Any, day: Day
) -> None:
    page = _context(browser, live_portal, AGENT)
    number = _open_for_caller(page, live_portal)
    day.phone_ticket = number
    assert page.locator("#channel").inner_text() == "phone"
    assert page.locator("#current-group").inner_text() == GROUP  # by the asset's product
    assert page.locator("#current-asset").inner_text() == f"{PRODUCT} ({ASSET_SERIAL})"
    assert page.locator("#contact").inner_text() == CUSTOMER_NAME
    ticket = _ticket(live_portal, AGENT, number)
    assert ticket["channel"] == "phone" and ticket["group"]["name"] == GROUP
    assert ticket["asset"]["serial_number"] == ASSET_SERIAL
    page.context.close()


# -- the answer with a text module -------------------------------------------------------


def _insert_module(page: Any, typed: str, name: str) -> None:
    """The module searched as typed and picked from the results."""
    page.locator("#tm-search").press_sequentially(typed)
    page.locator("#tm-results button.tm-choice", has_text=name).click()
    expect(page.locator("#tm-status")).to_contain_text(name)


def test_the_agent_answers_with_a_text_module_that_sets_the_status(
    live_portal: str, browser: Any, day: Day
) -> None:
    number = day.phone_ticket
    assert number, "the phone call's ticket comes from the test before"
    page = _context(browser, live_portal, AGENT)
    page.goto(f"{live_portal}/desk/{number}")
    _insert_module(page, "Robot cell", MODULE_EN)
    reply = page.locator("#body").input_value()
    assert f"Dear {CUSTOMER_NAME}," in reply and f"ticket {number}." in reply
    expect(page.locator("#module_status")).to_be_checked()
    assert page.locator("#module-status-word").inner_text() == "waiting for customer"
    page.locator("#save-work").click()
    page.wait_for_url("**/desk/*done=saved*")
    last = page.locator("#articles li.article").last
    assert f"Dear {CUSTOMER_NAME}," in last.inner_text()
    expect(page.locator("#current-status")).to_have_text("waiting for customer (answer expected)")
    page.context.close()

    # The customer sees that an answer is expected of them.
    customer = _context(browser, live_portal, CUSTOMER)
    customer.goto(f"{live_portal}/tickets/{number}")
    assert customer.locator(".ticket-state .light").inner_text() == "answer expected"
    assert f"Dear {CUSTOMER_NAME}," in customer.locator("body").inner_text()
    customer.context.close()


# -- the queue: three closed at once, the keyboard --------------------------------------


def _customer_tickets(base: str, *titles: str) -> list[str]:
    """Tickets the customer opened through the API."""
    numbers = []
    with _api(base, CUSTOMER) as ben:
        for title in titles:
            r = ben.post("/api/v1/tickets", json={"title": title})
            assert r.status_code == 201, r.text
            numbers.append(r.json()["number"])
    return numbers


def test_the_agent_closes_three_tickets_at_once(live_portal: str, browser: Any) -> None:
    # Three reports of one outage, found together by a word only they contain.
    titles = [f"Hall scanner outage {n} Zephyrine" for n in (1, 2, 3)]
    numbers = _customer_tickets(live_portal, *titles)
    page = _context(browser, live_portal, AGENT)
    # A merge asks first; the confirmation is left unanswered (the three close below).
    page.goto(f"{live_portal}/desk/{numbers[0]}")
    page.fill("#merge-into", numbers[1])
    page.locator("#merge-submit").click()
    expect(page.locator("#merge-confirm")).to_be_visible()
    assert numbers[1] in page.locator("#merge-target").inner_text()
    _page_check(page, "desk-merge-confirm")
    page.goto(f"{live_portal}/desk?q=Zephyrine")
    for number in numbers:
        page.check(f"#pick-{number}")
    expect(page.locator("#bulk-count")).to_have_text("3 tickets selected")
    page.select_option("#bulk-status", "closed")
    page.locator("#bulk-apply").click()
    result = page.locator("#bulk-result")
    expect(result).to_contain_text("3 changed, 0 refused")
    for number in numbers:
        assert _ticket(live_portal, AGENT, number)["status"] == "closed"
    page.context.close()


def test_the_queue_answers_the_keyboard(live_portal: str, browser: Any) -> None:
    page = _context(browser, live_portal, AGENT)
    page.goto(f"{live_portal}/desk?tab=open")
    _page_check(page, "desk-queue")
    help_box = page.locator("#shortcuts")
    assert help_box.get_attribute("open") is None
    page.keyboard.press("?")
    expect(help_box).to_have_attribute("open", "")
    expect(help_box.locator("dl")).to_be_visible()
    rows = page.locator("#queue tbody tr")
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bcurrent\b"))
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bcurrent\b"))
    expect(rows.nth(0)).not_to_have_class(re.compile(r"\bcurrent\b"))
    page.goto(f"{live_portal}/reports/desk?by=group")
    expect(page.locator("#desk-report-table")).to_be_visible()
    _page_check(page, "desk-report")
    page.context.close()


# -- two agents on one ticket ----------------------------------------------------------


def _both_on(browser: Any, base: str, number: str, lang: str) -> tuple[Any, Any]:
    """The agent has the ticket open first; the colleague comes to it afterwards."""
    first = _context(browser, base, AGENT, lang=lang)
    first.goto(f"{base}/desk/{number}?lang={lang}")
    expect(first.locator("#presence")).to_be_hidden()  # nobody else yet
    second = _context(browser, base, SECOND, lang=lang)
    second.goto(f"{base}/desk/{number}?lang={lang}")
    return first, second


def test_the_agent_sees_a_colleague_viewing_and_writing(
    live_portal: str, browser: Any, day: Day
) -> None:
    number = day.phone_ticket
    assert number, "the phone call's ticket comes from the tests before"
    first, second = _both_on(browser, live_portal, number, "en")
    notice = first.locator("#presence")
    expect(notice).to_be_visible()
    expect(notice).to_have_text(f"{SECOND_NAME} is also viewing this ticket")
    expect(second.locator("#presence")).to_have_text(f"{AGENT_NAME} is also viewing this ticket")
    second.locator("#body").press_sequentially("I am on it")
    expect(notice).to_have_text(f"{SECOND_NAME} is writing a reply")
    _page_check(first, "desk-work")
    second.context.close()
    first.context.close()


def test_the_work_page_in_german(live_portal: str, browser: Any) -> None:
    """On a ticket of its own, so that nothing of the English visit lingers."""
    (number,) = _customer_tickets(live_portal, "Achse 4 meldet wieder Überstrom")
    first, second = _both_on(browser, live_portal, number, "de")
    notice = first.locator("#presence")
    expect(notice).to_have_text(f"{SECOND_NAME} sieht sich dieses Ticket ebenfalls an")
    expect(second.locator("#presence")).to_have_text(
        f"{AGENT_NAME} sieht sich dieses Ticket ebenfalls an"
    )
    second.locator("#body").press_sequentially("Ich schaue")
    expect(notice).to_have_text(f"{SECOND_NAME} schreibt gerade eine Antwort")

    assert first.locator("#tm-language").input_value() == "de"
    _insert_module(first, "Roboterzelle", MODULE_DE)
    reply = first.locator("#body").input_value()
    assert f"Guten Tag {CUSTOMER_NAME}," in reply and f"Ticket {number}." in reply
    expect(first.locator("#tm-status")).to_have_text(
        f"„{MODULE_DE}“ wurde eingefügt. Lesen Sie ihn vor dem Senden durch."
    )
    expect(first.locator("#module-changes")).to_be_hidden()  # the module sets nothing
    _page_check(first, "desk-work-de")
    second.context.close()
    first.context.close()
