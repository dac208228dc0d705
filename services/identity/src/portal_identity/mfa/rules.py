"""Two-factor sign-in, the rules without storage: TOTP codes (RFC 6238, what authenticator
apps show), recovery codes, what a sign-in's factors are called in tokens (`amr`, RFC 8176,
and `acr`; the one place that says which sign-ins have two factors), when a second factor
is due, and the problems the API answers with (passkeys' included)."""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import uuid
from collections.abc import Iterable, Sequence
from datetime import timedelta
from urllib.parse import urlsplit

import pyotp
import segno

from portal_chassis.errors import DomainError, Unauthorized

# What tokens say about a sign-in: the password alone; the password and a one-time code
# (a recovery code counts as one, RFC 8176 "otp"); the password and a passkey ("hwk", a
# key held in hardware); or a passkey alone whose authenticator verified its user (PIN,
# fingerprint: "user"), which is two factors in one.
AMR_PASSWORD: tuple[str, ...] = ("pwd",)
AMR_TWO_FACTORS: tuple[str, ...] = ("pwd", "otp")
AMR_PASSWORD_AND_PASSKEY: tuple[str, ...] = ("pwd", "hwk")
AMR_PASSKEY: tuple[str, ...] = ("hwk", "user")
ACR_PASSWORD = "urn:portal:acr:pwd"
ACR_MFA = "urn:portal:acr:mfa"
ACR_VALUES = (ACR_PASSWORD, ACR_MFA)
KNOWN_AMR = frozenset({"pwd", "otp", "hwk", "user"})
# Every `amr` we issue with two factors; anything else is one.
TWO_FACTOR_AMRS = frozenset({AMR_TWO_FACTORS, AMR_PASSWORD_AND_PASSKEY, AMR_PASSKEY})

METHODS = ("totp", "recovery")
# A user's second factors as the sign-in names them.
FACTORS = ("totp", "passkey")
MFA_TOKEN_LIFETIME = timedelta(minutes=5)
# Wrong codes one mfa_token takes before it is void (the throttle usually stops earlier).
MAX_CODE_FAILURES = 5

# TOTP as every authenticator app knows it: SHA-1, 6 digits, 30-second steps; a code of
# the step before or after the current one is accepted too (clocks drift).
STEP_SECONDS = 30
WINDOW_STEPS = 1
TOTP_CODE = re.compile(r"\d{6}")

RECOVERY_CODES = 10
# Crockford's base32 (no i, l, o, u: nothing to misread); 16 characters are 80 random
# bits, printed in groups of four.
RECOVERY_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
RECOVERY_LENGTH = 16
_MISREAD = str.maketrans({"o": "0", "i": "1", "l": "1"})


def two_factors(amr: Iterable[str]) -> bool:
    return tuple(amr) in TWO_FACTOR_AMRS


def acr_of(amr: Iterable[str]) -> str:
    return ACR_MFA if two_factors(amr) else ACR_PASSWORD


def amr_of(value: object) -> tuple[str, ...]:
    """A token's `amr` claim as we issue it; anything else (an older token without the
    claim, a value we never issue) counts as the password alone."""
    if isinstance(value, list) and tuple(value) in TWO_FACTOR_AMRS:
        return tuple(value)
    return AMR_PASSWORD


# TOTP.


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def otpauth_uri(secret: str, *, username: str, public_url: str) -> str:
    """What the authenticator app reads from the QR code; the portal's host names the
    account in the app, so that two portals are told apart."""
    issuer = urlsplit(public_url).hostname or "portal"
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The URI as a QR code, an SVG document (with its namespace, so it also stands alone;
    the page around it gives it its words)."""
    out = io.BytesIO()
    segno.make_qr(uri, error="m").save(
        out,
        kind="svg",
        scale=4,
        xmldecl=False,
        svgns=True,
        svgclass="mfa-qr",
        lineclass=None,
    )
    return out.getvalue().decode()


def is_totp_code(code: str) -> bool:
    return TOTP_CODE.fullmatch(code) is not None


def time_step(at: float) -> int:
    return int(at // STEP_SECONDS)


def matching_step(secret: str, code: str, at: float) -> int | None:
    """The time step whose code `code` is, within one step of `at`; None if none. Every
    step of the window is compared (in constant time), so the answer's timing tells
    nothing about which one matched."""
    if not is_totp_code(code):
        return None
    totp = pyotp.TOTP(secret)
    now = time_step(at)
    found = None
    for step in range(now - WINDOW_STEPS, now + WINDOW_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            found = step
    return found


# Recovery codes.


def new_recovery_codes(count: int = RECOVERY_CODES) -> list[str]:
    codes = []
    for _ in range(count):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, RECOVERY_LENGTH, 4)))
    return codes


def normalized_recovery_code(code: str) -> str | None:
    """The code as stored (lower case, no spaces or hyphens, misread letters fixed), or
    None if it cannot be one."""
    plain = re.sub(r"[\s-]", "", code.lower()).translate(_MISREAD)
    if len(plain) != RECOVERY_LENGTH or any(c not in RECOVERY_ALPHABET for c in plain):
        return None
    return plain


def recovery_digest(user_id: uuid.UUID, normalized: str) -> str:
    """SHA-256 of the code, salted with its user. No slow hash is needed: the codes are
    80 random bits, not chosen by people, so a leaked digest cannot be guessed back; and a
    fast digest lets a code be found and used up in one atomic UPDATE."""
    return hashlib.sha256(f"{user_id}:{normalized}".encode()).hexdigest()


def recovery_digests(user_id: uuid.UUID, codes: Sequence[str]) -> list[str]:
    """The digests of freshly made codes (which are always well-formed)."""
    return [recovery_digest(user_id, code.replace("-", "")) for code in codes]


# The problems of the sign-in's second step (RFC 9457, `type` ends in the slug).


class MfaRequired(Unauthorized):
    """The password was right; a second factor is due. `mfa_token` continues the sign-in
    at `POST /api/v1/auth/login/mfa`; `factors` says which the user has (`totp`,
    `passkey`), `methods` what the step takes (`totp` and `recovery` with the app)."""

    slug, title = "mfa-required", "Second factor required"

    def __init__(self, mfa_token: str, factors: Sequence[str] = ("totp",)) -> None:
        methods = [
            *(METHODS if "totp" in factors else ()),
            *(["passkey"] if "passkey" in factors else []),
        ]
        detail = (
            "Enter the code from your authenticator app, or a recovery code."
            if "totp" in factors
            else "Confirm the sign-in with your passkey."
        )
        super().__init__(detail, mfa_token=mfa_token, methods=methods, factors=list(factors))


class InvalidCode(Unauthorized):
    slug, title = "invalid-code", "Invalid code"

    def __init__(self) -> None:
        super().__init__("This code is not valid. Enter the current code from your app.")


class MfaTokenInvalid(Unauthorized):
    slug, title = "mfa-token-invalid", "Sign-in expired"

    def __init__(self) -> None:
        super().__init__("This sign-in has expired or was completed already. Sign in again.")


class PasskeyChallengeInvalid(DomainError):
    """The `challenge_id` is unknown, expired (5 minutes), used already, or was made for
    another ceremony or user: the browser asks for new options and tries again."""

    status, slug, title = 400, "passkey-challenge-invalid", "Passkey request expired"

    def __init__(self) -> None:
        super().__init__("This passkey request has expired or was used already. Try again.")


class PasskeyInvalid(Unauthorized):
    """The passkey's answer does not sign this portal's challenge from an allowed origin,
    or belongs to no (active) account, or to another one: one answer for all."""

    slug, title = "passkey-invalid", "Passkey not accepted"

    def __init__(self) -> None:
        super().__init__("This passkey was not accepted. Try again or sign in another way.")


class PasskeyCloned(Unauthorized):
    """The authenticator's counter did not grow: the key may have been copied."""

    slug, title = "passkey-cloned", "Passkey refused"

    def __init__(self) -> None:
        super().__init__(
            "This passkey's counter went back, so it may have been copied. Sign in another "
            "way and remove it."
        )
