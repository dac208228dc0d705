"""Passkeys in a real browser against `portal dev --demo`, with Chromium's virtual
authenticator (DevTools protocol, `WebAuthn.addVirtualAuthenticator`: a platform
authenticator with resident keys that verifies its user): a demo user adds a passkey on
`/account/security`, signs out, signs in with "Sign in with a passkey" alone, and then
with the password, where the passkey is the second step. The portal is reached as
http://localhost:<port>: browsers refuse an IP address as the relying party. Each page is
checked with axe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from browser_kit import DEMO_PASSWORD, accessible, running_portal, shoot, sign_in
from playwright.sync_api import expect

USER = "dan"  # a customer of the demo, reading English


@pytest.fixture(scope="module", autouse=True)
def patient_expect() -> Iterator[None]:
    """On a busy machine a page may take longer than expect's 5 s."""
    expect.set_options(timeout=20_000)
    yield
    expect.set_options(timeout=None)


@pytest.fixture(scope="module")
def localhost_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with running_portal(tmp_path_factory.mktemp("portal-data"), host="localhost") as portal:
        yield portal.base


def _sign_out(page: Any) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login?notice=signed_out")


def test_a_user_adds_a_passkey_and_signs_in_with_it(localhost_portal: str, browser: Any) -> None:
    base = localhost_portal
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )["authenticatorId"]
    sign_in(page, base, USER)

    page.goto(f"{base}/account/security?lang=en")
    expect(page.locator("#passkeys-none")).to_have_text("You have no passkeys yet.")
    accessible(page, "passkeys-none")
    # The current password first: a wrong one is said at its field.
    page.get_by_label("Name of the passkey").fill("Test laptop")
    page.locator("#passkey_password").fill("not-my-password")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkey_password-error")).to_have_text("The password is not right.")
    page.locator("#passkey_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url("**/account/security?done=passkey_added")
    expect(page.locator("#security-notice")).to_have_text(
        "The passkey is added. You can sign in with it now."
    )
    expect(page.locator("#passkey-list")).to_contain_text("Test laptop")
    held = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [c["isResidentCredential"] for c in held["credentials"]] == [True]
    shoot(page, "passkeys-list")
    accessible(page, "passkeys-list")

    # Without user name or password.
    _sign_out(page)
    page.goto(f"{base}/login?lang=en&next=/tickets")
    button = page.get_by_role("button", name="Sign in with a passkey")
    expect(button).to_be_visible()
    shoot(page, "passkey-sign-in")
    accessible(page, "passkey-sign-in")
    button.click()
    page.wait_for_url("**/tickets")
    expect(page.locator(".account-nav")).to_contain_text(USER)

    # After the password, the passkey is the second step.
    _sign_out(page)
    page.fill("#username", USER)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("form[action='/login'] button[type=submit]").click()
    page.wait_for_url("**/login/code")
    expect(page.locator("#passkey-hint")).to_be_visible()
    expect(page.locator("#code-form")).to_have_count(0)
    accessible(page, "passkey-second-step")
    page.get_by_role("button", name="Confirm with your passkey").click()
    page.wait_for_url(lambda url: "/login" not in url)
    expect(page.locator(".account-nav")).to_contain_text(USER)

    # The profile lists the sign-ins, this one marked; the browser's two before ended
    # with their sign-outs (the demo's own sign-in of this user may still be listed).
    page.goto(f"{base}/account/sessions?lang=en")
    expect(page.locator("#this-device")).to_have_text("This device")
    current = page.locator("tr[id^=session-]", has=page.locator("#this-device"))
    expect(current).to_contain_text("Chrome")
    chrome = page.locator("tr[id^=session-]", has_text="Chrome")
    expect(chrome).to_have_count(1)
    accessible(page, "sessions")

    # Removed with the password, it signs in no more.
    page.goto(f"{base}/account/security?lang=en")
    page.get_by_role("link", name="Remove the passkey Test laptop").click()
    accessible(page, "passkey-remove")
    page.get_by_label("Current password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Remove the passkey").click()
    page.wait_for_url("**/account/security?done=passkey_removed")
    expect(page.locator("#passkeys-none")).to_be_visible()
    _sign_out(page)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("#passkey-status")).to_have_text(
        "This passkey was not accepted. Try again, or sign in another way."
    )
    context.close()
