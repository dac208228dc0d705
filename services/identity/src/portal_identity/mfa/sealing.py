"""TOTP secrets at rest: encrypted with AES-256-GCM under `IDENTITY_MFA_SECRET_KEYS`.

A TOTP secret must be readable to check codes, so it cannot be hashed like a password;
encrypting it with a key kept outside the database means a copy of the database alone
does not let anyone make codes. The first key encrypts, every key decrypts (a key is
rotated by putting the new one first). Without a key the secret is stored as it is,
marked `plain:`; it is never logged and never shown again after enrolment either way.
Each value is bound to its user (associated data), so it cannot be copied to another row.
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from portal_identity.settings import IdentitySettings

SEALED = "v1:"
PLAIN = "plain:"


class SecretUnreadable(Exception):
    """Sealed under a key that is no longer configured."""


class SecretBox:
    def __init__(self, keys: Sequence[str]) -> None:
        # Any configured text becomes a 256-bit key.
        self._keys = [AESGCM(hashlib.sha256(key.encode()).digest()) for key in keys]

    @classmethod
    def of(cls, settings: IdentitySettings) -> SecretBox:
        return cls(settings.mfa_keys)

    def seal(self, secret: str, user_id: uuid.UUID) -> str:
        if not self._keys:
            return PLAIN + secret
        nonce = os.urandom(12)
        sealed = self._keys[0].encrypt(nonce, secret.encode(), user_id.bytes)
        return SEALED + base64.urlsafe_b64encode(nonce + sealed).decode()

    def open(self, stored: str, user_id: uuid.UUID) -> str:
        if stored.startswith(PLAIN):
            return stored.removeprefix(PLAIN)
        raw = base64.urlsafe_b64decode(stored.removeprefix(SEALED))
        for key in self._keys:
            try:
                return key.decrypt(raw[:12], raw[12:], user_id.bytes).decode()
            except InvalidTag:
                continue
        raise SecretUnreadable("no configured key opens this TOTP secret")
