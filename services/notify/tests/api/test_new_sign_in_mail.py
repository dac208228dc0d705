"""A sign-in from a new device, as the user hears of it through a real SMTP server
process: one mail in their language with the device, the address and the time, the
page to end the sign-in and what to do if it was not them; none for a device signed in
from before, none twice for a redelivered event, and none when the user switched
`new_sign_in` off in their profile."""

from __future__ import annotations

import re
from email.message import EmailMessage

import pytest
from portal_harness import PASSWORD, Portal

from portal_chassis.envelope import Envelope

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal
NEW_DEVICE = "identity.session.started_on_new_device"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


async def _sign_in(world: Portal, username: str, user_agent: str) -> None:
    r = await world.client.post(
        "/api/v1/auth/login",
        json={"username": username, "password": PASSWORD},
        headers={"User-Agent": user_agent},
    )
    assert r.status_code == 200, r.text


def _sign_in_mails(sink, address: str) -> list[EmailMessage]:
    subjects = ("New sign-in to your account", "Neue Anmeldung bei Ihrem Konto")
    return [m for m in sink.mails() if m["To"] == address and m["Subject"] in subjects]


async def test_a_new_device_is_mailed_in_the_users_language(mail_world, smtp_sink) -> None:
    world = mail_world
    ben = await world.as_("ben")  # an earlier sign-in: the account knows a device
    r = await world.client.patch("/api/v1/me", json={"language": "de"}, headers=ben)
    assert r.status_code == 200, r.text
    assert r.json()["notification_preferences"]["new_sign_in"] is True  # on by default
    await world.as_("erik")
    await world.settle()

    await _sign_in(world, "ben", FIREFOX)
    await _sign_in(world, "erik", IPHONE)
    await world.settle()

    [german] = _sign_in_mails(smtp_sink, "ben@example.com")
    assert german["Subject"] == "Neue Anmeldung bei Ihrem Konto"
    assert german["Content-Language"] == "de"
    text = _text(german)
    assert "Bei Ihrem Konto ben hat sich soeben jemand von einem Gerät" in text
    assert "Gerät: Firefox (Linux)" in text and "Adresse: 127.0.0.1" in text
    # In the profile's time zone, named.
    assert re.search(r"Zeit: \d\d\.\d\d\.\d{4} \d\d:\d\d \(Europe/Berlin\)", text), text
    assert f"Ihre Anmeldungen prüfen: {PUBLIC_URL}/account/sessions" in text
    assert "ändern Sie sofort Ihr Passwort" in text
    assert "Hinweise auf Anmeldungen von neuen Geräten" in text

    [english] = _sign_in_mails(smtp_sink, "erik@example.com")
    text = _text(english)
    assert "Your account erik was just signed in to from a device" in text
    assert "Device: Mobile Safari (iOS, iPhone)" in text and "Address: 127.0.0.1" in text
    assert re.search(r"Time: \d{4}-\d\d-\d\d \d\d:\d\d \(Europe/Berlin\)", text), text
    assert f"Review your sign-ins: {PUBLIC_URL}/account/sessions" in text
    assert "If it was not you, end the session" in text and "change your password" in text

    # The same browser again is no news; a redelivered event mails nobody twice.
    await _sign_in(world, "ben", FIREFOX)
    await world.settle()
    assert len(_sign_in_mails(smtp_sink, "ben@example.com")) == 1
    before = len(smtp_sink.mails())
    events = await world.events(NEW_DEVICE, service="identity")
    await world.bus.publish([Envelope.model_validate(events[-1])])
    await world.settle()
    assert len(smtp_sink.mails()) == before


async def test_no_mail_when_the_user_switched_it_off(mail_world, smtp_sink) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me",
        json={"notification_preferences": {"new_sign_in": False}},
        headers=await world.as_("ben"),
    )
    assert r.status_code == 200, r.text
    assert r.json()["notification_preferences"]["new_sign_in"] is False
    await world.settle()

    await _sign_in(world, "ben", FIREFOX)
    await world.settle()
    # The sign-in was news (identity published it); the switch kept the mail back.
    [event] = await world.events(NEW_DEVICE, service="identity")
    assert event["data"]["username"] == "ben"
    assert _sign_in_mails(smtp_sink, "ben@example.com") == []
