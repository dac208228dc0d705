"""Two-factor sign-in in a real browser against `portal dev --demo`: a demo user sets up
an authenticator app from the profile (the QR code shows under the strict CSP; the key
is read from the page and the app's codes computed from it), keeps the recovery codes,
signs out and signs in again with password and code. Each page is checked with axe."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from browser_kit import DEMO_PASSWORD, accessible, shoot, sign_in
from playwright.sync_api import expect

USER = "dan"  # a customer of the demo, reading English


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """On a busy machine a page may take longer than expect's 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


def test_a_user_sets_up_the_app_and_signs_in_with_a_code(live_portal: str, browser: Any) -> None:
    base = live_portal
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    sign_in(page, base, USER)

    page.goto(f"{base}/profile?lang=en")
    page.locator("#security-link").click()
    page.wait_for_url("**/account/security")
    expect(page.locator("#security-state")).to_have_text("Off")
    accessible(page, "two-factor-off")
    page.locator("#setup-form").get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Continue").click()

    # The QR code is an image from a data: address, which the CSP allows; the key is
    # there to type in by hand.
    qr = page.locator("#totp-qr")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    shoot(page, "two-factor-setup")
    accessible(page, "two-factor-setup")
    app = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(app.now())
    page.get_by_role("button", name="Switch on").click()

    codes = page.locator("#recovery-codes li")
    expect(codes).to_have_count(10)
    expect(page.locator("#codes-download")).to_have_attribute(
        "download", "portal-recovery-codes.txt"
    )
    accessible(page, "two-factor-recovery-codes")
    page.get_by_role("link", name="I have stored the codes").click()
    expect(page.locator("#security-state")).to_have_text("On")
    expect(page.locator("#codes-left")).to_have_text("10")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?notice=signed_out")
    page.fill("#username", USER)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/login/code")
    field = page.get_by_label("6-digit code from your authenticator app")
    expect(field).to_have_attribute("autocomplete", "one-time-code")
    expect(field).to_have_attribute("inputmode", "numeric")
    shoot(page, "two-factor-code")
    accessible(page, "two-factor-code")
    # The next step's code: each is taken once, and the setup used the current one.
    field.fill(app.at(time.time() + 30))
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator(".account-nav")).to_contain_text(USER)
    context.close()
