"""The rules of two-factor sign-in without storage: TOTP windows, recovery codes, the
tokens' `amr`/`acr`, the sealing of TOTP secrets, and how the throttle counts codes."""

from __future__ import annotations

import uuid

import pyotp
import pytest

from portal_chassis.errors import TooManyRequests
from portal_chassis.ratelimit import MemoryRateLimiter
from portal_identity.mfa import rules
from portal_identity.mfa.sealing import SecretBox, SecretUnreadable
from portal_identity.sessions.throttle import LoginThrottle
from portal_identity.settings import IdentitySettings

AT = 1_800_000_015.0  # the middle of a 30-second step


def test_a_code_one_step_either_side_matches_its_step_two_steps_off_does_not() -> None:
    secret = rules.new_secret()
    totp = pyotp.TOTP(secret)
    now = rules.time_step(AT)
    for off in (-1, 0, 1):
        assert rules.matching_step(secret, totp.at(AT + 30 * off), AT) == now + off
    for off in (-2, 2):
        code = totp.at(AT + 30 * off)
        if code not in {totp.at(AT + 30 * near) for near in (-1, 0, 1)}:
            assert rules.matching_step(secret, code, AT) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "12a456", " 123456"])
def test_only_six_digits_are_a_totp_code(code: str) -> None:
    assert rules.matching_step(rules.new_secret(), code, AT) is None


def test_recovery_codes_are_ten_random_groups_of_four() -> None:
    codes = rules.new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(rules.RECOVERY_ALPHABET)


def test_recovery_codes_are_read_as_people_type_them() -> None:
    assert rules.normalized_recovery_code("ABCD-EFGH-JKMN-PQRS") == "abcdefghjkmnpqrs"
    assert rules.normalized_recovery_code(" abcd efgh jkmn pqrs ") == "abcdefghjkmnpqrs"
    # Letters that look like digits are taken for them.
    assert rules.normalized_recovery_code("OOOO-IIII-LLLL-2222") == "0000111111112222"
    assert rules.normalized_recovery_code("abcd-efgh-jkmn") is None
    assert rules.normalized_recovery_code("abcd-efgh-jkmn-pqr!") is None
    assert rules.normalized_recovery_code("123456") is None


def test_a_recovery_digest_belongs_to_its_user() -> None:
    code = rules.new_recovery_codes(1)[0]
    anna, ben = uuid.uuid4(), uuid.uuid4()
    [digest] = rules.recovery_digests(anna, [code])
    assert digest == rules.recovery_digest(anna, rules.normalized_recovery_code(code) or "")
    assert digest != rules.recovery_digests(ben, [code])[0]
    assert code.replace("-", "") not in digest


def test_amr_and_acr_name_the_factors() -> None:
    assert rules.acr_of(rules.AMR_PASSWORD) == "urn:portal:acr:pwd"
    assert rules.acr_of(rules.AMR_TWO_FACTORS) == "urn:portal:acr:mfa"
    assert rules.amr_of(["pwd", "otp"]) == ("pwd", "otp")
    # A passkey after the password, or a passkey that verified its user, is two factors.
    for passkey in (rules.AMR_PASSWORD_AND_PASSKEY, rules.AMR_PASSKEY):
        assert rules.acr_of(passkey) == "urn:portal:acr:mfa"
        assert rules.amr_of(list(passkey)) == passkey
    # Older tokens without the claim, or anything else, count as the password alone.
    for other in (None, "otp", ["otp"], ["pwd"], ["hwk"], ["user", "pwd", "otp"], 5):
        assert rules.amr_of(other) == ("pwd",)


def test_the_otpauth_uri_names_the_portal_and_the_qr_code_is_svg() -> None:
    secret = rules.new_secret()
    assert len(secret) == 32  # 160 bits
    uri = rules.otpauth_uri(secret, username="anna", public_url="https://x.test/")
    assert uri.startswith(f"otpauth://totp/x.test:anna?secret={secret}")
    assert "issuer=x.test" in uri
    svg = rules.qr_svg(uri)
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>\n")


def test_a_sealed_secret_opens_with_any_configured_key_for_its_user_only() -> None:
    user = uuid.uuid4()
    old = SecretBox(["old-key"]).seal("JBSWY3DPEHPK3PXP", user)
    assert old.startswith("v1:") and "JBSWY3DPEHPK3PXP" not in old
    rotated = SecretBox(["new-key", "old-key"])
    assert rotated.open(old, user) == "JBSWY3DPEHPK3PXP"
    assert rotated.seal("JBSWY3DPEHPK3PXP", user) != old  # a fresh nonce, the new key
    with pytest.raises(SecretUnreadable):
        rotated.open(old, uuid.uuid4())  # copied to another user's row
    with pytest.raises(SecretUnreadable):
        SecretBox(["new-key"]).open(old, user)


def test_without_a_key_the_secret_is_stored_marked_plain() -> None:
    user = uuid.uuid4()
    stored = SecretBox([]).seal("JBSWY3DPEHPK3PXP", user)
    assert stored == "plain:JBSWY3DPEHPK3PXP"
    # A key configured later still reads it.
    assert SecretBox(["key"]).open(stored, user) == "JBSWY3DPEHPK3PXP"


def test_settings_split_the_keys() -> None:
    settings = IdentitySettings(mfa_secret_keys=" new , old ,")
    assert settings.mfa_keys == ["new", "old"]
    assert "new" not in repr(settings)


async def test_a_right_password_gives_back_its_attempt_but_not_the_failures() -> None:
    throttle = LoginThrottle(MemoryRateLimiter(), IdentitySettings())  # five per account
    for _ in range(3):  # wrong codes (or passwords)
        await throttle.attempt("anna", "192.0.2.1")
    for _ in range(10):  # signing in again and again with the right password
        await throttle.attempt("anna", "192.0.2.1")
        await throttle.password_passed("anna", "192.0.2.1")
    await throttle.attempt("anna", "192.0.2.1")
    await throttle.attempt("anna", "192.0.2.1")
    with pytest.raises(TooManyRequests):
        await throttle.attempt("anna", "192.0.2.1")
