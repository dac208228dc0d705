"""Requesting access in a real browser, against `portal dev --demo` (its mails land in
the data directory's mailbox): a person without an account asks on the sign-in page,
confirms with the mailed link's button, the admin sees the pending request counted in
the navigation and approves it (the invitation arrives) — in English; in German the
admin rejects one, and the person gets the reason by mail."""

from __future__ import annotations

import email
import re
import time
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from browser_kit import LivePortal, accessible, running_portal, shoot

ADMIN_PASSWORD = "admin-demo-2026"  # the demo's admin (portal_identity.demo)


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LivePortal]:
    with running_portal(tmp_path_factory.mktemp("portal-access")) as running:
        yield running


def _mail(data: Path, to: str, subject: str, *, seconds: float = 30.0) -> EmailMessage:
    """The mail to `to` whose subject starts with `subject`, from the local mailbox."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for path in sorted((data / "mailbox").glob("*.eml")):
            with path.open("rb") as f:
                mail = email.message_from_binary_file(f, policy=policy.default)
            if mail["To"] == to and str(mail["Subject"]).startswith(subject):
                return mail  # type: ignore[return-value]
        time.sleep(0.2)
    raise AssertionError(f"no mail {subject!r} to {to}")


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def _ask(page, base: str, lang: str, *, name: str, address: str, labels: dict[str, str]) -> None:
    page.goto(f"{base}/login?lang={lang}")
    page.get_by_role("link", name=labels["link"]).click()
    page.wait_for_url("**/access/request")
    page.get_by_label(labels["name"]).fill(name)
    page.get_by_label(labels["company"], exact=True).fill("Acme Robotics GmbH")
    page.get_by_label(labels["email"]).fill(address)
    page.get_by_label(labels["phone"]).fill("+49 30 555-0101")
    page.get_by_label(labels["reason"]).fill(labels["why"])
    shoot(page, f"access-request-{lang}")
    accessible(page, f"access-request-{lang}")
    # The robots' field is there for robots only: off the screen, out of the tab order.
    box = page.locator("#website").bounding_box()
    assert box is None or box["x"] + box["width"] <= 0
    assert page.locator("#website").get_attribute("tabindex") == "-1"
    page.get_by_role("button", name=labels["submit"]).click()
    page.wait_for_url("**/access/sent")
    assert page.get_by_role("heading", level=1).inner_text() == labels["sent"]


def _confirm(page, link: str, *, button: str, thanks: str, lang: str) -> None:
    page.goto(link)
    page.get_by_role("button", name=button).click()
    page.wait_for_url("**/access/confirmed")
    assert page.get_by_role("heading", level=1).inner_text() == thanks
    accessible(page, f"access-confirmed-{lang}")


def _admin(browser, base: str, lang: str):
    context = browser.new_context(locale="de-DE" if lang == "de" else "en-US")
    page = context.new_page()
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#username", "admin")
    page.fill("#password", ADMIN_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in url)
    return context, page


def _request_item(page, name: str):
    return page.locator("#request-list > li", has=page.get_by_role("heading", name=name))


ENGLISH = {
    "link": "Request access",
    "name": "Your name",
    "company": "Company",
    "email": "E-mail address",
    "phone": "Phone (optional)",
    "reason": "Why do you need access?",
    "why": "I maintain the presses in hall 2.",
    "submit": "Send request",
    "sent": "Please look into your mailbox",
}
GERMAN = {
    "link": "Zugang anfragen",
    "name": "Ihr Name",
    "company": "Firma",
    "email": "E-Mail-Adresse",
    "phone": "Telefon (optional)",
    "reason": "Wofür brauchen Sie den Zugang?",
    "why": "Ich betreue die Pressen in Halle 3.",
    "submit": "Anfrage senden",
    "sent": "Bitte sehen Sie in Ihr Postfach",
}


def test_asked_confirmed_and_approved_in_english(portal: LivePortal, browser) -> None:
    base, address = portal.base, "lena.koch@acme.example"
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    _ask(page, base, "en", name="Lena Koch", address=address, labels=ENGLISH)
    confirmation = _mail(portal.data, address, "Please confirm your access request")
    link = re.search(rf"{re.escape(base)}/access/confirm\?token=\S+", _text(confirmation))
    assert link is not None
    _confirm(
        page,
        link.group(),
        button="Confirm my request",
        thanks="Thank you, your request has reached us",
        lang="en",
    )
    context.close()

    context, admin = _admin(browser, base, "en")
    badge = admin.locator("#nav-pending")
    assert badge.inner_text().startswith("1")
    admin.get_by_role("link", name=re.compile(r"^Administration")).click()
    assert admin.locator("#pending-count").inner_text() == "1 pending"
    admin_nav = admin.get_by_role("navigation", name="Administration")
    admin_nav.get_by_role("link", name=re.compile(r"^Access requests 1 pending")).click()
    admin.wait_for_url("**/admin/access-requests")
    item = _request_item(admin, "Lena Koch")
    assert "Acme Robotics GmbH" in item.inner_text() and "+49 30 555-0101" in item.inner_text()
    assert item.get_by_label("User name").input_value() == "lenakoch"
    shoot(admin, "access-requests-admin")
    accessible(admin, "access-requests-admin")
    item.get_by_label("Role").select_option("customer_admin")
    item.get_by_role("button", name="Approve and invite").click()
    admin.get_by_text("The request for lenakoch was approved").wait_for()
    assert admin.locator("#nav-pending").count() == 0
    context.close()

    invitation = _mail(portal.data, address, "Your access to the customer service portal")
    assert "lenakoch" in _text(invitation) and f"{base}/password/first?token=" in _text(invitation)


def test_asked_confirmed_and_rejected_in_german(portal: LivePortal, browser) -> None:
    base, address = portal.base, "jonas.berg@acme.example"
    context = browser.new_context(locale="de-DE")
    page = context.new_page()
    _ask(page, base, "de", name="Jonas Berg", address=address, labels=GERMAN)
    confirmation = _mail(portal.data, address, "Bitte bestätigen Sie Ihre Zugangsanfrage")
    assert "Hallo Jonas Berg," in _text(confirmation)
    link = re.search(rf"{re.escape(base)}/access/confirm\?token=\S+", _text(confirmation))
    assert link is not None
    _confirm(
        page,
        link.group(),
        button="Meine Anfrage bestätigen",
        thanks="Vielen Dank, Ihre Anfrage ist bei uns eingegangen",
        lang="de",
    )
    context.close()

    context, admin = _admin(browser, base, "de")
    assert admin.locator("#nav-pending").inner_text().startswith("1")
    admin.goto(f"{base}/admin/access-requests?lang=de")
    assert admin.locator("#admin-nav-pending").inner_text().startswith("1")
    item = _request_item(admin, "Jonas Berg")
    assert "Über die Anmeldeseite angefragt" in item.inner_text()
    item.get_by_label("Grund für eine Ablehnung (optional)").fill("Bitte über Ihre IT anfragen.")
    item.get_by_role("button", name="Ablehnen").click()
    admin.get_by_text("Die Anfrage für Jonas Berg wurde abgelehnt.").wait_for()
    accessible(admin, "access-requests-admin-de")
    context.close()

    rejection = _mail(portal.data, address, "Ihre Anfrage nach einem Zugang zum Kundenportal")
    text = _text(rejection)
    assert "Leider können wir" in text and "Die Begründung: Bitte über Ihre IT anfragen." in text
