from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from portal_identity.accounts.schemas import Password, Role


class MfaLoginRequest(BaseModel):
    """The second step of a sign-in: the problem's `mfa_token` and a 6-digit code from the
    authenticator app or a recovery code."""

    model_config = ConfigDict(extra="forbid")

    mfa_token: str = Field(min_length=1, max_length=200)
    code: str = Field(min_length=1, max_length=64)


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
    required: bool = Field(description="A role of the user requires a second factor.")


class MfaPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    required_roles: list[Role] = Field(
        max_length=4, description="Users with any of these roles must set up a second factor."
    )
