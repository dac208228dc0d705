"""Passkeys' rules without storage: the relying party follows the public URL unless set,
an IP address becomes `localhost` (browsers refuse an IP as RP ID), and a counter must
grow unless the authenticator keeps none."""

from __future__ import annotations

from typing import Any

from portal_chassis.settings import PortalSettings
from portal_identity.mfa import passkeys
from portal_identity.settings import IdentitySettings


def _settings(public_url: str, **changes: Any) -> IdentitySettings:
    return IdentitySettings(
        database_url="sqlite+aiosqlite://", portal=PortalSettings(public_url=public_url), **changes
    )


def test_the_relying_party_follows_the_public_url() -> None:
    rp = passkeys.relying_party(_settings("https://portal.example.com/"))
    assert rp == passkeys.RelyingParty(
        "portal.example.com", "Customer Portal", ("https://portal.example.com",)
    )
    rp = passkeys.relying_party(_settings("http://localhost:8000"))
    assert rp.id == "localhost" and rp.origins == ("http://localhost:8000",)


def test_an_ip_address_becomes_localhost() -> None:
    rp = passkeys.relying_party(_settings("http://127.0.0.1:8000"))
    assert rp.id == "localhost"
    assert rp.origins == ("http://127.0.0.1:8000", "http://localhost:8000")


def test_the_settings_override_both() -> None:
    rp = passkeys.relying_party(
        _settings(
            "https://portal.example.com",
            webauthn_rp_id="example.com",
            webauthn_origins="https://portal.example.com, https://help.example.com/",
        )
    )
    assert rp.id == "example.com"
    assert rp.origins == ("https://portal.example.com", "https://help.example.com")


def test_a_counter_must_grow_unless_the_authenticator_keeps_none() -> None:
    assert passkeys.counter_grew(0, 0)
    assert passkeys.counter_grew(0, 1) and passkeys.counter_grew(4, 5)
    assert not passkeys.counter_grew(5, 5)
    assert not passkeys.counter_grew(5, 3)
    assert not passkeys.counter_grew(5, 0)


def test_a_malformed_answer_is_no_credential() -> None:
    assert passkeys.credential_id_of({"id": 5}) is None
    assert passkeys.credential_id_of({"id": ""}) is None
    assert passkeys.credential_id_of({"id": "x" * 1401}) is None
    assert passkeys.credential_id_of({"id": "abc"}) == "abc"
    assert passkeys.user_handle_of({"response": {"userHandle": "AQI"}}) == b"\x01\x02"
    assert passkeys.user_handle_of({"response": "nope"}) is None
    assert passkeys.user_handle_of({}) is None
