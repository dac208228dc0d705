"""An administrator's reset of a user's second factor, as the user hears of it through a
real SMTP server process: one mail in their language, with the way to set up a new app
and a warning in case they did not ask for it; a redelivered event mails nobody twice."""

from __future__ import annotations

from email.message import EmailMessage

import pyotp
import pytest
from portal_harness import PASSWORD, Portal

from portal_chassis.envelope import Envelope

pytestmark = pytest.mark.integration

PUBLIC_URL = "http://127.0.0.1:8000"  # PortalSettings' default, used by the test portal


def _text(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    assert part is not None
    return part.get_content()


async def _enrol_and_reset(world: Portal, username: str) -> None:
    headers = await world.as_(username)
    r = await world.client.post("/api/v1/me/mfa/totp", json={"password": PASSWORD}, headers=headers)
    assert r.status_code == 200, r.text
    code = pyotp.TOTP(r.json()["secret"]).now()
    r = await world.client.post("/api/v1/me/mfa/totp/confirm", json={"code": code}, headers=headers)
    assert r.status_code == 200, r.text
    r = await world.client.post(
        f"/api/v1/admin/users/{world.ids[username]}/mfa/reset", headers=await world.admin()
    )
    assert r.status_code == 204, r.text
    await world.settle()


async def test_the_user_is_mailed_in_their_language(mail_world, smtp_sink) -> None:
    world = mail_world
    r = await world.client.patch(
        "/api/v1/me", json={"language": "de"}, headers=await world.as_("ben")
    )
    assert r.status_code == 200, r.text
    await world.settle()
    await _enrol_and_reset(world, "ben")
    await _enrol_and_reset(world, "erik")

    [german] = [m for m in smtp_sink.mails() if m["To"] == "ben@example.com"]
    assert german["Subject"] == "Ihre Zwei-Faktor-Anmeldung wurde zurückgesetzt"
    assert german["Content-Language"] == "de"
    text = _text(german)
    assert "Zwei-Faktor-Anmeldung für Ihr Konto ben ausgeschaltet" in text
    assert "Ihre Passkeys wurden entfernt" in text
    assert f"Zwei-Faktor-Anmeldung einrichten: {PUBLIC_URL}/account/security" in text
    assert "Falls Sie das nicht veranlasst haben" in text

    [english] = [m for m in smtp_sink.mails() if m["To"] == "erik@example.com"]
    assert english["Subject"] == "Your two-factor sign-in was reset"
    text = _text(english)
    assert "turned off two-factor sign-in for your account erik" in text
    assert "your recovery codes no longer work" in text
    assert "your passkeys were removed" in text
    assert f"Set up two-factor sign-in: {PUBLIC_URL}/account/security" in text
    assert "If you did not ask for this, tell your administrator at once" in text

    # Delivered again, the event mails nobody twice.
    before = len(smtp_sink.mails())
    resets = await world.events("identity.user.mfa_reset", service="identity")
    await world.bus.publish([Envelope.model_validate(resets[-1])])
    await world.settle()
    assert len(smtp_sink.mails()) == before
