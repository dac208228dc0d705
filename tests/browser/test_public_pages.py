"""The pages anyone can open: sign-in, the FAQ, the API docs; switching the language."""

from __future__ import annotations

from browser_kit import accessible, shoot, sign_in


def test_sign_in_errors_language_switch_and_faq(live_portal: str, browser) -> None:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_portal}/login?lang=en")
    shoot(page, "sign-in")
    accessible(page, "sign-in")
    page.fill("#username", "ben")
    page.fill("#password", "wrong password 1")
    page.locator("form[action='/login'] button[type=submit]").click()
    assert page.get_by_role("alert").inner_text().strip() == "Username or password is wrong."

    # The language switch is remembered across pages.
    page.get_by_role("link", name="Deutsch").click()
    page.wait_for_url("**lang=de")
    assert page.get_by_role("heading", level=1).inner_text() == "Anmelden"
    page.goto(f"{live_portal}/faq")
    assert page.locator("html").get_attribute("lang") == "de"

    page.goto(f"{live_portal}/faq?q=Drucker&lang=de")
    assert page.locator("mark").first.is_visible()
    shoot(page, "faq-search")
    accessible(page, "faq-search")
    page.locator("ol.articles a, .articles a").first.click()
    assert page.get_by_role("heading", level=1).is_visible()
    accessible(page, "faq-article")

    sign_in(page, live_portal, "ben", lang="en")
    page.goto(f"{live_portal}/")
    shoot(page, "home")
    accessible(page, "home")
    # The CSP holds: nothing was refused, no script failed.
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
    context.close()


def test_api_docs_render_from_the_portal_itself(live_portal: str, browser) -> None:
    context = browser.new_context()
    page = context.new_page()
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_portal) else None,
    )
    page.goto(f"{live_portal}/api/docs")
    paths = page.locator(".opblock-summary-path")
    paths.first.wait_for(timeout=15_000)
    shown = {text.replace("\u200b", "") for text in paths.all_inner_texts()}
    assert {"/api/v1/tickets", "/api/v1/faq/articles", "/api/v1/files"} <= shown
    shoot(page, "api-docs")
    assert not outside, outside
    context.close()
