from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from portal_identity.accounts.policy import username_problem


class LoginRequest(BaseModel):
    # Defaults are validated too, so a missing field gets the same message as an empty one.
    model_config = ConfigDict(extra="forbid", validate_default=True)

    username: str = Field(default="", max_length=64)
    password: str = Field(default="", max_length=1024)
    remember_me: bool = False

    @field_validator("username")
    @classmethod
    def _username(cls, value: str) -> str:
        if problem := username_problem(value):
            raise PydanticCustomError("username_invalid", problem)
        return value

    @field_validator("password")
    @classmethod
    def _password(cls, value: str) -> str:
        if not value:
            raise PydanticCustomError("password_required", "Password is a required field.")
        return value


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class LogoutRequest(BaseModel):
    refresh_token: str | None = Field(default=None, max_length=200)


class ForgotRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)


class ResetRequest(BaseModel):
    token: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=1024)


class UserRevocation(BaseModel):
    user_id: str
    # Tokens of the user issued (`iat`) before this second are refused.
    revoked_before: int
    until: float  # when the last token this concerns has expired


class SessionRevocation(BaseModel):
    sid: str
    until: float


class Revocations(BaseModel):
    """The ended sign-ins every verifier polls (see portal_chassis.revocation)."""

    cursor: str
    users: list[UserRevocation]
    sessions: list[SessionRevocation]


class SignInSessionRead(BaseModel):
    """One sign-in of the caller: a browser or program holding a refresh token."""

    id: uuid.UUID = Field(description="The sign-in; access tokens carry it as `sid`.")
    device: str = Field(description='Browser and system, e.g. "Firefox (Linux)".')
    user_agent: str
    address: str = Field(description="The client address the sign-in came from.")
    remember_me: bool
    created_at: datetime
    last_used_at: datetime = Field(description="The sign-in, or its latest token renewal.")
    current: bool = Field(description="The sign-in of the token that asks.")
    second_factor: bool = Field(description="Made with a second factor (or a passkey).")


class SignInSessionPage(BaseModel):
    items: list[SignInSessionRead]
    next_cursor: str | None = None
