"""Passkeys (WebAuthn), the rules without storage: which relying party the portal is, the
options a browser gets to create or use a passkey, and the checks of what it sends back.
py_webauthn does the cryptography; its refusals become None here (the caller answers)."""

from __future__ import annotations

import ipaddress
import json
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, bytes_to_base64url
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from portal_identity.accounts.models import User
from portal_identity.mfa.models import Passkey
from portal_identity.settings import IdentitySettings

log = logging.getLogger(__name__)

# The ceremonies a challenge is made for (`passkey_challenge.purpose`).
REGISTER = "register"
SIGN_IN = "sign_in"
SECOND_STEP = "second_step"
CHALLENGE_LIFETIME = timedelta(minutes=5)
# The browser's own timeout, the same five minutes.
TIMEOUT_MS = 300_000
# More would only be forgotten keys; each is a way into the account.
MAX_PASSKEYS = 20
# A credential id is at most 1023 bytes (WebAuthn): 1364 base64url characters.
MAX_CREDENTIAL_ID = 1400
# What a malformed answer may raise beside the library's own refusals.
_REFUSED = (WebAuthnException, ValueError, TypeError, KeyError, IndexError)


@dataclass(frozen=True)
class RelyingParty:
    id: str
    name: str
    origins: tuple[str, ...]


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def relying_party(settings: IdentitySettings) -> RelyingParty:
    """`IDENTITY_WEBAUTHN_RP_ID` and `…_ORIGINS`, else the host and origin of the public
    URL. Browsers refuse an IP address as RP ID: a portal at http://127.0.0.1:8000 is the
    relying party `localhost` and takes passkeys at http://localhost:8000."""
    public = urlsplit(settings.portal.public_url)
    host = public.hostname or "localhost"
    by_ip = _is_ip(host)
    rp_id = settings.webauthn_rp_id or ("localhost" if by_ip else host)
    origins = [o.strip().rstrip("/") for o in (settings.webauthn_origins or "").split(",")]
    origins = [o for o in origins if o]
    if not origins:
        origins = [f"{public.scheme}://{public.netloc.rsplit('@', 1)[-1]}"]
        if by_ip and rp_id == "localhost":
            port = f":{public.port}" if public.port else ""
            origins.append(f"{public.scheme}://localhost{port}")
    return RelyingParty(rp_id, settings.webauthn_rp_name, tuple(origins))


def new_challenge() -> bytes:
    return secrets.token_bytes(32)


def encode(value: bytes) -> str:
    return bytes_to_base64url(value)


def decode(value: str) -> bytes:
    return base64url_to_bytes(value)


def _descriptor(passkey: Passkey) -> PublicKeyCredentialDescriptor:
    transports = []
    for name in passkey.transports or []:
        try:
            transports.append(AuthenticatorTransport(name))
        except ValueError:
            continue  # a transport newer than the library
    return PublicKeyCredentialDescriptor(id=decode(passkey.credential_id), transports=transports)


def _as_json(options: Any) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(options_to_json(options))
    return found


def registration_options(
    rp: RelyingParty, user: User, challenge: bytes, existing: Sequence[Passkey]
) -> dict[str, Any]:
    """PublicKeyCredentialCreationOptions as JSON: a discoverable credential (so that it
    signs in without a user name), user verification where the authenticator can, and
    the user's passkeys excluded (an authenticator holds one per account)."""
    options = generate_registration_options(
        rp_id=rp.id,
        rp_name=rp.name,
        # The user handle is the account's random id: no name or address in it.
        user_id=user.id.bytes,
        user_name=user.username,
        user_display_name=user.display_name or user.username,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.PREFERRED,
        ),
        exclude_credentials=[_descriptor(p) for p in existing],
    )
    return _as_json(options)


def authentication_options(
    rp: RelyingParty, challenge: bytes, allowed: Sequence[Passkey], *, verify_user: bool
) -> dict[str, Any]:
    """PublicKeyCredentialRequestOptions as JSON. `allowed` empty: any passkey of this
    portal the authenticator holds (the password-less sign-in)."""
    options = generate_authentication_options(
        rp_id=rp.id,
        challenge=challenge,
        timeout=TIMEOUT_MS,
        allow_credentials=[_descriptor(p) for p in allowed],
        user_verification=(
            UserVerificationRequirement.REQUIRED
            if verify_user
            else UserVerificationRequirement.PREFERRED
        ),
    )
    return _as_json(options)


@dataclass(frozen=True)
class NewPasskey:
    credential_id: str  # base64url
    public_key: bytes  # COSE
    sign_count: int
    transports: list[str]


def verified_registration(
    rp: RelyingParty, credential: dict[str, Any], challenge: bytes
) -> NewPasskey | None:
    """The new passkey, if the browser's answer signs `challenge` for this relying party
    from an allowed origin with the user present; else None."""
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
        )
    except _REFUSED as exc:
        log.info("passkey registration refused", extra={"reason": str(exc)[:200]})
        return None
    credential_id = encode(verified.credential_id)
    if len(credential_id) > MAX_CREDENTIAL_ID:
        return None
    transports = (credential.get("response") or {}).get("transports") or []
    known = {t.value for t in AuthenticatorTransport}
    return NewPasskey(
        credential_id=credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=[t for t in transports if isinstance(t, str) and t in known],
    )


def credential_id_of(credential: dict[str, Any]) -> str | None:
    """The credential id a browser's answer claims (base64url), before any check."""
    value = credential.get("id")
    if not isinstance(value, str) or not 0 < len(value) <= MAX_CREDENTIAL_ID:
        return None
    return value


def user_handle_of(credential: dict[str, Any]) -> bytes | None:
    """The user handle a discoverable passkey returns (the account's id), if any."""
    response = credential.get("response")
    handle = response.get("userHandle") if isinstance(response, dict) else None
    if not isinstance(handle, str) or not handle:
        return None
    try:
        return decode(handle)
    except ValueError:
        return None


@dataclass(frozen=True)
class Assertion:
    sign_count: int
    user_verified: bool


def verified_assertion(
    rp: RelyingParty,
    credential: dict[str, Any],
    challenge: bytes,
    passkey: Passkey,
    *,
    verify_user: bool,
) -> Assertion | None:
    """What the authenticator says, if its answer signs `challenge` with `passkey` for
    this relying party from an allowed origin (and verified the user when asked); else
    None. The counter is the caller's to judge, atomically against the stored one
    (`counter_grew`)."""
    try:
        verified = verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=rp.id,
            expected_origin=list(rp.origins),
            credential_public_key=passkey.public_key,
            # 0 leaves the counter out of the library's check: see `counter_grew`.
            credential_current_sign_count=0,
            require_user_verification=verify_user,
        )
    except _REFUSED as exc:
        log.info("passkey assertion refused", extra={"reason": str(exc)[:200]})
        return None
    return Assertion(sign_count=verified.new_sign_count, user_verified=verified.user_verified)


def counter_grew(stored: int, new: int) -> bool:
    """An authenticator with a counter must show a higher one each time (a lower or equal
    one hints at a copied key); one without keeps 0 for good."""
    return new > stored or (stored == 0 and new == 0)
