"""A passkey authenticator in software, for tests: an EC P-256 key per credential,
attestation "none", and the JSON a browser sends for `navigator.credentials.create()` and
`.get()` (binary fields base64url), built by hand from the WebAuthn byte layouts."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import struct
from dataclasses import dataclass, field
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

ORIGIN = "https://portal.test"  # the identity harness's public URL
FLAG_USER_PRESENT = 0x01
FLAG_USER_VERIFIED = 0x04
FLAG_ATTESTED_DATA = 0x40
AAGUID = bytes(16)  # "none" attestation: no model to name


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Credential:
    id: bytes
    key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    sign_count: int = 0

    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: -7,  # alg: ES256
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )


@dataclass
class SoftAuthenticator:
    """Holds the passkeys it created, like a phone or a security key would."""

    origin: str = ORIGIN
    credentials: list[Credential] = field(default_factory=list)

    @staticmethod
    def _client_data(kind: str, challenge: str, origin: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": origin, "crossOrigin": False}
        return json.dumps(data).encode()

    @staticmethod
    def _auth_data(rp_id: str, flags: int, count: int, attested: bytes = b"") -> bytes:
        return (
            hashlib.sha256(rp_id.encode()).digest()
            + bytes([flags])
            + struct.pack(">I", count)
            + attested
        )

    def create(
        self, options: dict[str, Any], *, origin: str | None = None, verified: bool = True
    ) -> dict[str, Any]:
        """A new passkey for the options' relying party and user: the registration JSON."""
        excluded = {unb64url(c["id"]) for c in options.get("excludeCredentials", [])}
        assert not excluded & {c.id for c in self.credentials}, "holds an excluded passkey"
        credential = Credential(
            id=os.urandom(32),
            key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=options["rp"]["id"],
            user_handle=unb64url(options["user"]["id"]),
        )
        self.credentials.append(credential)
        attested = AAGUID + struct.pack(">H", len(credential.id)) + credential.id
        attested += credential.cose_key()
        flags = FLAG_USER_PRESENT | FLAG_ATTESTED_DATA | (FLAG_USER_VERIFIED if verified else 0)
        auth_data = self._auth_data(credential.rp_id, flags, 0, attested)
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data(
            "webauthn.create", options["challenge"], origin or self.origin
        )
        return {
            "id": b64url(credential.id),
            "rawId": b64url(credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }

    def get(
        self,
        options: dict[str, Any],
        *,
        origin: str | None = None,
        verified: bool = True,
        credential: Credential | None = None,
        count: int | None = None,
        user_handle: bytes | None = None,
    ) -> dict[str, Any]:
        """The assertion JSON for `navigator.credentials.get()`: the given credential, else
        the first allowed one (any, for a discoverable sign-in). The counter grows by one
        unless `count` sets it."""
        allowed = {unb64url(c["id"]) for c in options.get("allowCredentials", [])}
        if credential is None:
            credential = next(
                c
                for c in self.credentials
                if c.rp_id == options["rpId"] and (not allowed or c.id in allowed)
            )
        credential.sign_count = credential.sign_count + 1 if count is None else count
        flags = FLAG_USER_PRESENT | (FLAG_USER_VERIFIED if verified else 0)
        auth_data = self._auth_data(credential.rp_id, flags, credential.sign_count)
        client_data = self._client_data("webauthn.get", options["challenge"], origin or self.origin)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = credential.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(credential.id),
            "rawId": b64url(credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(user_handle or credential.user_handle),
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }
