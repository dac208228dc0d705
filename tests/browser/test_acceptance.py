"""The customer's and the agent's main paths in a real browser, against `portal dev
--demo`: a ticket from a template with a guide and an attachment while FAQ suggestions
appear, a reply, search, the agent desk answering while the customer's page updates by
itself, and a file-exchange link used without an account. Each main page is
photographed and checked with axe-core."""

from __future__ import annotations

import re
from pathlib import Path

from browser_kit import accessible, shoot, sign_in

TITLE = "Printer driver install fails"


def _template_link(page, name: str):
    return page.get_by_role("link", name=name, exact=True)


def test_customer_and_agent_work_a_ticket(live_portal: str, browser, tmp_path: Path) -> None:
    log = tmp_path / "error.log"
    log.write_text("E1234 driver signature rejected\n")
    customer = browser.new_context(locale="en-US")
    page = customer.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    sign_in(page, live_portal, "ben", lang="en")

    # New ticket: choose the template, answer its guide, attach a file.
    page.goto(f"{live_portal}/tickets/new")
    shoot(page, "new-ticket-templates")
    accessible(page, "new-ticket-templates")
    # Ben reads German (his profile): the template has a German name.
    _template_link(page, "Softwarefehler").click()
    page.locator("#title").press_sequentially("printer driver", delay=30)
    suggestions = page.locator("#faq-suggestions a")
    suggestions.first.wait_for(timeout=10_000)
    assert "printer driver" in suggestions.first.inner_text().lower()
    page.fill("#title", TITLE)
    page.fill("#description", "Since this morning the driver cannot be installed.")
    page.locator("textarea[id$='steps']").fill("Ran the installer as administrator.")
    page.locator("input[id$='users']").fill("3")
    # The contact: a colleague found by name (the search asks the service).
    page.fill("#contact-search", "nobody-like-this")
    page.locator("#contact_id option:disabled", has_text="Niemand gefunden").wait_for(
        state="attached", timeout=10_000
    )
    page.fill("#contact-search", "Anna")
    page.locator("#contact_id option", has_text="Anna Schmidt (anna)").wait_for(
        state="attached", timeout=10_000
    )
    page.select_option("#contact_id", label="Anna Schmidt (anna)")
    page.set_input_files("#attachments", str(log))
    page.locator(".uploads .done").wait_for(timeout=15_000)
    shoot(page, "new-ticket-form")
    accessible(page, "new-ticket-form")
    page.locator("#submit-ticket").click()
    page.wait_for_url(re.compile(r"/tickets/[^/?]+\?created=1"))
    number = page.url.split("/tickets/")[1].split("?")[0]
    assert page.get_by_role("heading", level=1).inner_text().endswith(TITLE) or TITLE in (
        page.get_by_role("heading", level=1).inner_text()
    )
    assert page.get_by_text("error.log").first.is_visible()
    assert "Anna Schmidt" in page.locator(".details, #details, main").first.inner_text()
    shoot(page, "ticket-detail")
    accessible(page, "ticket-detail")

    # A reply from the customer.
    page.fill("#reply-body", "The installer log is attached above.")
    page.locator("#reply-send").click()
    page.get_by_text("The installer log is attached above.").first.wait_for()

    # Search: by a word with a wildcard, and by number.
    page.goto(f"{live_portal}/tickets?q=instal*")
    assert page.locator(f"#ticket-{number}").is_visible()
    page.goto(f"{live_portal}/tickets?q={number}")
    assert page.locator(f"#ticket-{number}").is_visible()
    shoot(page, "ticket-list")
    accessible(page, "ticket-list")

    # Switch the language (ben's profile says German, applied at sign-in) both ways.
    for name, lang in (("English", "en"), ("Deutsch", "de")):
        if page.locator("html").get_attribute("lang") != lang:
            page.locator("a.lang").click()
            page.wait_for_url(re.compile(f"lang={lang}"))
        assert page.locator("html").get_attribute("lang") == lang
        assert page.locator("a.lang").inner_text() != name

    # The customer keeps the ticket open while the agent answers from the desk.
    page.goto(f"{live_portal}/tickets/{number}")
    agent = browser.new_context(locale="de-DE")
    desk = agent.new_page()
    sign_in(desk, live_portal, "erik", lang="de")
    desk.goto(f"{live_portal}/desk?tab=open")
    shoot(desk, "agent-desk")
    accessible(desk, "agent-desk")
    desk.goto(f"{live_portal}/desk/{number}")
    desk.locator("#work-form textarea").fill("Please install version 2.4 of the driver.")
    desk.locator("#save-work").click()
    desk.get_by_text("Please install version 2.4 of the driver.").first.wait_for()
    shoot(desk, "agent-work")
    accessible(desk, "agent-work")
    # Live: the customer's page shows the answer without anyone reloading it.
    page.get_by_text("Please install version 2.4 of the driver.").first.wait_for(timeout=20_000)
    assert page.url.endswith(f"/tickets/{number}")

    # File exchange: a share, and its link used by someone without an account.
    page.goto(f"{live_portal}/exchanges?lang=en")
    page.fill("#name", "Driver logs")
    page.locator("#share-create").click()
    link = page.locator("#share-link").input_value()
    assert "/x/" in link
    shoot(page, "exchange-share")
    accessible(page, "exchange-share")
    stranger = browser.new_context()
    visitor = stranger.new_page()
    visitor.goto(link)
    visitor.set_input_files("#file", str(log))
    visitor.locator("#upload-submit").click()
    visitor.locator("#share-files").get_by_text("error.log").first.wait_for(timeout=15_000)
    shoot(visitor, "exchange-public")
    accessible(visitor, "exchange-public")

    assert not [m for m in console if "Content Security Policy" in m], console
    for context in (customer, agent, stranger):
        context.close()
