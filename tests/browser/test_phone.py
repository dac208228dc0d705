"""The portal on a phone-sized screen: nothing wider than the screen, every section
reachable from the header, the ticket form usable, and the pages still accessible."""

from __future__ import annotations

from browser_kit import accessible, shoot, sign_in

PHONE = {"width": 375, "height": 740}
PAGES = ("/", "/tickets", "/tickets/new", "/faq", "/reports", "/exchanges", "/notifications")


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px screen"


def test_every_page_fits_a_phone_and_the_header_reaches_every_section(
    live_portal: str, browser
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="de-DE")
    page = context.new_page()
    sign_in(page, live_portal, "ben", lang="de")
    for path in PAGES:
        page.goto(f"{live_portal}{path}")
        _fits(page)
    # Brand and account links share the first line: the header stays short.
    header = page.locator("header.top").bounding_box()
    assert header is not None and header["height"] < 120

    # The sections scroll sideways in one row; the last one is reachable and works.
    page.goto(f"{live_portal}/")
    reports = page.locator(".main-nav").get_by_role("link", name="Berichte")
    reports.scroll_into_view_if_needed()
    reports.click()
    page.wait_for_url("**/reports")
    shoot(page, "phone-reports")

    # Choosing a template and the form, in German names.
    page.goto(f"{live_portal}/tickets/new")
    page.get_by_role("link", name="Softwarefehler").click()
    page.wait_for_url("**template=*")
    _fits(page)
    title = page.locator("#title")
    title.fill("Drucker druckt nicht")
    box = title.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    shoot(page, "phone-new-ticket")
    accessible(page, "phone-new-ticket")

    page.goto(f"{live_portal}/tickets")
    shoot(page, "phone-tickets")
    accessible(page, "phone-tickets")
    context.close()
