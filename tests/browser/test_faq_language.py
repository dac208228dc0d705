"""The help articles in the reader's language: an English reader sees English titles,
a German-only article marked as such (and tagged `lang="de"`), and voting keeps the
page in English."""

from __future__ import annotations

from browser_kit import accessible, shoot, sign_in


def test_english_reader_sees_english_titles_marked_german_and_votes_in_english(
    live_portal: str, browser
) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, live_portal, "dan", lang="en")  # dan reads English (demo data)

    page.goto(f"{live_portal}/faq")
    assert page.locator("html").get_attribute("lang") == "en"
    titles = page.locator("ol.articles a.title")
    shown = titles.all_inner_texts()
    assert "Installing the printer driver" in shown
    assert "Druckertreiber installieren" not in shown
    german_only = page.locator("ol.articles li", has_text="VPN-Verbindung bricht ab")
    assert german_only.locator(".lang-fallback").inner_text() == "only in German"
    assert german_only.locator("a.title").get_attribute("lang") == "de"
    shoot(page, "faq-english-explorer")
    accessible(page, "faq-english-explorer")

    german_only.locator("a.title").click()
    page.wait_for_url("**/faq/*")
    assert page.get_by_role("heading", level=1).inner_text() == "VPN-Verbindung bricht ab"
    assert page.locator(".faq-article .lang-fallback").inner_text() == "only in German"
    assert page.locator(".faq-article .body").get_attribute("lang") == "de"
    accessible(page, "faq-german-only-article")

    page.get_by_role("button", name="Yes (0)").click()
    page.wait_for_url("**voted=1**")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("status").inner_text() == "Thank you for your feedback."
    assert page.get_by_role("heading", name="Was this article helpful?").is_visible()
    assert page.get_by_role("button", name="Yes (1)").get_attribute("aria-pressed") == "true"
    assert page.locator(".faq-article .lang-fallback").inner_text() == "only in German"

    # The explorer afterwards is still English.
    page.goto(f"{live_portal}/faq")
    assert "Installing the printer driver" in page.locator("ol.articles").inner_text()
    context.close()
