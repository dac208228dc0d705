"""The customer's own first level in a real browser against `portal dev --demo`, once in
English (Globex: Carla, its customer admin, and Dan) and once in German (Acme: Anna and
Ben): the customer admin turns the internal review on and lets a colleague review
tickets; her new ticket shows "Review by our IT" and is a missing page to the agent; the
reviewer lands on the review filter, asks the requester and hands the ticket over; the
agent then finds it in the desk's queue. The reviewer's pages are checked with axe-core."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from browser_kit import accessible, shoot, sign_in
from playwright.sync_api import expect

AGENT = "erik"
WORDS = {
    "en": {
        "admin": "carla",
        "reviewer": "dan",
        "own_org": "Our organization",
        "switched_on": "Internal review is switched on.",
        "reviews": "Reviews tickets",
        "title": "Forklift scanner loses its network",
        "in_review": "Review by our IT",
        "missing": "This ticket does not exist or is not available to you.",
        "ask": "Ask the requester",
        "with_requester": "Review by the requester",
        "hand_over": "Hand over to the service desk",
        "handed_over": "Handed over to the service desk.",
    },
    "de": {
        "admin": "anna",
        "reviewer": "ben",
        "own_org": "Unsere Organisation",
        "switched_on": "Die interne Prüfung ist eingeschaltet.",
        "reviews": "Prüft Tickets",
        "title": "Etikettendrucker in Halle 3 offline",
        "in_review": "Prüfung durch EDV",
        "missing": "Dieses Ticket gibt es nicht, oder es ist für Sie nicht verfügbar.",
        "ask": "Rückfrage an den User",
        "with_requester": "Prüfung durch User",
        "hand_over": "An den Service übergeben",
        "handed_over": "An den Service übergeben.",
    },
}


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """On a busy machine a page may take longer than expect's 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def _page(browser: Any, base: str, username: str, lang: str) -> Any:
    """A browser of its own (own cookies), signed in, reading `lang` (signing in takes
    the profile's language; `lang` in the address keeps the one the test reads in)."""
    context = browser.new_context(locale="de-DE" if lang == "de" else "en-US")
    page = context.new_page()
    sign_in(page, base, username, lang=lang)
    page.goto(f"{base}/?lang={lang}")
    return page


@pytest.mark.parametrize("lang", ["en", "de"])
def test_the_first_level_reviews_asks_and_hands_over(live_portal: str, browser, lang) -> None:
    words, base = WORDS[lang], live_portal
    admin = _page(browser, base, words["admin"], lang)

    # The customer admin turns the review on and lets a colleague review tickets.
    admin.goto(f"{base}/admin")
    admin.get_by_role("link", name=words["own_org"]).first.click()
    admin.locator("#internal_review").check()
    admin.locator("#save-own-organization").click()
    expect(admin.get_by_text(words["switched_on"])).to_be_visible()
    admin.goto(f"{base}/admin/users")
    admin.locator(f"#user-{words['reviewer']} th a").click()
    admin.locator("#permission-review").check()
    admin.locator("#save-user").click()
    expect(admin.locator(f"#user-{words['reviewer']}")).to_contain_text(words["reviews"])

    # Her own new ticket waits for the review: the service desk does not see it.
    admin.goto(f"{base}/tickets/new?template=none")
    expect(admin.locator("#review-first")).to_be_visible()
    admin.locator("#title").fill(words["title"])
    admin.locator("#submit-ticket").click()
    admin.wait_for_url(re.compile(r"/tickets/T\d+\?created=1"))
    expect(admin.locator("#ticket-review")).to_contain_text(words["in_review"])
    number = admin.locator("#ticket-number").inner_text().strip()
    admin.context.close()

    agent = _page(browser, base, AGENT, lang)
    hidden = agent.goto(f"{base}/tickets/{number}")
    assert hidden is not None and hidden.status == 404
    expect(agent.locator("main h1")).to_have_text(words["missing"])

    # The reviewer lands on what waits for the review, asks the requester, hands over.
    reviewer = _page(browser, base, words["reviewer"], lang)
    reviewer.goto(f"{base}/tickets")
    expect(reviewer.locator("#review-internal")).to_have_attribute("aria-current", "page")
    expect(reviewer.locator("#review-all")).to_be_visible()
    row = reviewer.locator(f"#ticket-{number}")
    expect(row).to_contain_text(words["in_review"])
    if lang == "en":
        shoot(reviewer, "review-list")
        accessible(reviewer, "review-list")
    row.get_by_role("link", name=number).click()
    expect(reviewer.locator("#ticket-review")).to_contain_text(words["in_review"])
    if lang == "en":
        shoot(reviewer, "review-ticket")
        accessible(reviewer, "review-ticket")
    reviewer.get_by_role("button", name=words["ask"]).click()
    expect(reviewer.locator("#ticket-review")).to_contain_text(words["with_requester"])
    reviewer.get_by_role("button", name=words["hand_over"]).click()
    expect(reviewer.locator("#ticket-notice")).to_have_text(words["handed_over"])
    expect(reviewer.locator("#ticket-review")).to_have_count(0)
    reviewer.context.close()

    # Now the service desk has it in its queue.
    agent.goto(f"{base}/desk?q={number}")
    expect(agent.locator(f"#row-{number}")).to_be_visible()
    agent.context.close()
