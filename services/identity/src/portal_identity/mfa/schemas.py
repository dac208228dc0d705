from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from portal_identity.accounts.schemas import Password, Role

# What `navigator.credentials.create()` or `.get()` answered, as JSON (base64url fields).
Credential = Annotated[
    dict[str, Any],
    Field(description="The browser's PublicKeyCredential as JSON (binary fields base64url)."),
]
PasskeyName = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class MfaLoginRequest(BaseModel):
    """The second step of a sign-in: the problem's `mfa_token` and either a 6-digit code
    from the authenticator app or a recovery code, or a passkey's answer to the options
    of `POST /api/v1/auth/login/mfa/passkey-options` (`challenge_id`, `credential`)."""

    model_config = ConfigDict(extra="forbid")

    mfa_token: str = Field(min_length=1, max_length=200)
    code: str | None = Field(default=None, min_length=1, max_length=64)
    challenge_id: uuid.UUID | None = None
    credential: Credential | None = None

    @model_validator(mode="after")
    def _one_factor(self) -> MfaLoginRequest:
        passkey = self.challenge_id is not None and self.credential is not None
        partly = self.challenge_id is not None or self.credential is not None
        if (self.code is None) != passkey or (partly and not passkey):
            raise ValueError("Send either `code`, or `challenge_id` and `credential`.")
        return self


class MfaTokenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    mfa_token: str = Field(min_length=1, max_length=200)


class PasswordCheck(BaseModel):
    model_config = ConfigDict(extra="forbid")

    password: Password = Field(description="The caller's current password.")


class TotpEnrolment(BaseModel):
    secret: str = Field(description="Base32, for typing into the app by hand.")
    otpauth_uri: str
    qr_svg: str = Field(description="The otpauth URI as a QR code: an SVG document.")


class TotpConfirm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(max_length=16, description="The app's current 6-digit code.")


class RecoveryCodes(BaseModel):
    recovery_codes: list[str] = Field(
        description="Ten single-use codes, shown only in this answer (only digests are kept)."
    )


class MfaStatus(BaseModel):
    totp: bool = Field(description="The authenticator app is set up and on.")
    enrolled_at: datetime | None
    recovery_codes_left: int
    passkeys: int = Field(description="How many passkeys the user has (each a second factor).")
    required: bool = Field(description="A role of the user requires a second factor.")


class PasskeyOptions(BaseModel):
    challenge_id: uuid.UUID = Field(description="Send it back with the browser's answer.")
    options: dict[str, Any] = Field(
        description="PublicKeyCredentialCreationOptions or …RequestOptions as JSON "
        "(binary fields base64url), for navigator.credentials.create() or .get()."
    )


class PasskeyRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    challenge_id: uuid.UUID
    name: PasskeyName = Field(description='The user\'s name for it, e.g. "Laptop".')
    credential: Credential


class Passkey(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    created_at: datetime
    last_used_at: datetime | None


class PasskeyList(BaseModel):
    items: list[Passkey]
    next_cursor: str | None = None


class PasskeySignIn(BaseModel):
    """A password-less sign-in: the browser's answer to the options of
    `POST /api/v1/auth/passkey/options`."""

    model_config = ConfigDict(extra="forbid")

    challenge_id: uuid.UUID
    credential: Credential
    remember_me: bool = False


class MfaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    required_roles: list[Role] = Field(
        max_length=4, description="Users with any of these roles must set up a second factor."
    )
