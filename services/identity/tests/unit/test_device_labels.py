"""How the list of sign-ins and the new-device mail name a browser or program."""

from __future__ import annotations

import pytest

from portal_identity.sessions.clients import ClientInfo, device_label

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX, "Firefox (Linux)"),
        (IPHONE, "Mobile Safari (iOS, iPhone)"),
        ("curl/8.5.0", "curl"),
        ("python-httpx/0.28.1", "python-httpx"),
        ("", ""),
        ("   ", ""),
        # Words that would read as an address or a sentence in a mail are not a name.
        ("secure-account.evil.example/1.0", "Other"),
        ("Your account is locked, call +1 555", "Your (Generic Feature Phone)"),
        ("<script>alert(1)</script>", "Other"),
    ],
)
def test_a_sign_in_is_named_by_its_browser_or_program(user_agent: str, label: str) -> None:
    assert device_label(user_agent) == label


def test_the_device_cookie_decides_the_device_key_before_the_user_agent() -> None:
    laptop = ClientInfo(user_agent=FIREFOX, device_cookie="cookie-1")
    same_laptop = ClientInfo(user_agent=FIREFOX + " updated", device_cookie="cookie-1")
    other_browser = ClientInfo(user_agent=FIREFOX, device_cookie="cookie-2")
    assert laptop.device_key == same_laptop.device_key != other_browser.device_key
    api = ClientInfo(user_agent="curl/8.5.0")
    assert api.device_key == ClientInfo(user_agent="curl/8.5.0").device_key
    assert len(api.device_key) == 64 and "curl" not in api.device_key
