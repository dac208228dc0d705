"""Everyday pages in a real browser, against `portal dev --demo`: closing a ticket asks
first, a file-exchange link at its download limit says so and links nothing dead, subject
areas read German on German pages, and the notifications page (with its unread badge)
passes axe-core's colour-contrast check."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from browser_kit import DEMO_PASSWORD, accessible, reload_until, shoot, sign_in


def _open_ticket(page, base: str, title: str) -> str:
    """A ticket opened on the form without a template; its number."""
    page.goto(f"{base}/tickets/new?template=none&lang=en")
    page.fill("#title", title)
    page.locator("#submit-ticket").click()
    page.wait_for_url(re.compile(r"/tickets/[^/?]+\?created=1"))
    return page.url.split("/tickets/")[1].split("?")[0]


def _token(base: str, username: str) -> str:
    r = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": username, "password": DEMO_PASSWORD}
    )
    assert r.status_code == 200, r.text
    return r.json()["access_token"]


def test_closing_a_ticket_needs_the_confirm_step(live_portal: str, browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="en")
    number = _open_ticket(page, live_portal, "Badge printer offline")

    confirm = page.locator("#close-confirm")
    assert not confirm.is_visible()  # one click on "Close ticket" closes nothing
    page.locator("#close-ticket").click()
    assert confirm.is_visible()
    assert "takes no more replies" in page.locator("#close-question").inner_text()
    accessible(page, "ticket-close-question")
    confirm.click()
    page.wait_for_url(re.compile(rf"/tickets/{number}\?done=closed"))
    assert page.locator("#close-form").count() == 0
    context.close()


def test_an_exchange_link_at_its_limit_shows_no_dead_links(
    live_portal: str, browser, tmp_path: Path
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("measurements\n")
    owner_context = browser.new_context(locale="en-US")
    owner = owner_context.new_page()
    sign_in(owner, live_portal, "ben", lang="en")
    owner.goto(f"{live_portal}/exchanges?lang=en")
    owner.select_option("#expires_in_days", "1")
    assert owner.locator("#expires_in_days option:checked").inner_text() == "1 day"
    owner.fill("#name", "One download only")
    owner.fill("#download_limit", "1")
    owner.locator("#share-create").click()
    link = owner.locator("#share-link").input_value()
    owner.set_input_files("#file", str(report))
    owner.locator("#upload-submit").click()
    owner.locator("#share-files").get_by_text("report.txt").first.wait_for(timeout=15_000)

    guest_context = browser.new_context(locale="en-US", accept_downloads=True)
    guest = guest_context.new_page()
    guest.goto(link)
    assert guest.locator("#downloads-left").inner_text() == "1 download left."
    with guest.expect_download() as download:
        guest.locator("#share-files a", has_text="report.txt").click()
    assert Path(download.value.path()).read_text() == "measurements\n"

    guest.goto(link)
    assert "reached its download limit" in guest.locator("#downloads-exhausted").inner_text()
    assert guest.locator("#share-files").get_by_text("report.txt").is_visible()
    assert guest.locator("#share-files a").count() == 0
    shoot(guest, "exchange-limit-reached")
    accessible(guest, "exchange-limit-reached")
    # German, for a German reader.
    guest.goto(f"{link}?lang=de")
    assert "Höchstzahl an Downloads" in guest.locator("#downloads-exhausted").inner_text()

    owner.goto(f"{live_portal}/exchanges?lang=en")
    assert "download limit reached" in owner.locator("#shares").inner_text()
    owner_context.close()
    guest_context.close()


def test_subject_areas_read_german_on_german_pages(live_portal: str, browser) -> None:
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="de")
    page.goto(f"{live_portal}/tickets/new?template=none&lang=de")
    areas = page.locator("#subject_area option").all_inner_texts()
    assert "Maschinen" in areas and "IT-Infrastruktur" in areas and "Machines" not in areas
    # The value sent stays the catalogue's key, the subtype list follows the choice.
    page.select_option("#subject_area", label="Maschinen")
    assert page.locator("#subject_area").input_value() == "Machines"
    assert "Presse" in page.locator("#subtype").inner_text()
    page.goto(f"{live_portal}/tickets/new?template=none&lang=en")
    assert "Machines" in page.locator("#subject_area option").all_inner_texts()
    context.close()


def test_the_notifications_page_and_its_badge_pass_the_contrast_check(
    live_portal: str, browser
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="en")
    number = _open_ticket(page, live_portal, "Scanner needs a driver")
    # Off the ticket page first: an answer arriving there reloads that page by itself,
    # which would race with leaving it.
    page.goto(f"{live_portal}/notifications?lang=en")
    # The agent answers: Ben has something unread, with its time and the header badge.
    answer = httpx.post(
        f"{live_portal}/api/v1/tickets/{number}/articles",
        json={"body": "Version 3.1 of the driver fixes it."},
        headers={"Authorization": f"Bearer {_token(live_portal, 'erik')}"},
    )
    assert answer.status_code == 201, answer.text
    reload_until(page, "#notification-list li.unread time")
    page.locator("#unread-badge").wait_for(state="visible", timeout=10_000)
    shoot(page, "notifications")
    accessible(page, "notifications")
    context.close()


def test_a_live_notice_is_a_named_link_in_a_live_region(live_portal: str, browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="en")
    number = _open_ticket(page, live_portal, "Label printer prints blank pages")
    page.goto(f"{live_portal}/tickets?lang=en")
    answer = httpx.post(
        f"{live_portal}/api/v1/tickets/{number}/articles",
        json={"body": "Please send us a test print."},
        headers={"Authorization": f"Bearer {_token(live_portal, 'erik')}"},
    )
    assert answer.status_code == 201, answer.text
    toast = page.locator("[role=status] > a.toast")
    toast.wait_for(state="visible", timeout=15_000)
    assert toast.inner_text().strip()  # the link's name: what the notice says
    accessible(page, "live-notice")
    context.close()
