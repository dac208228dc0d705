from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from portal_chassis.scopes import OPENID_SCOPES, SCOPES

GrantType = Literal["authorization_code", "refresh_token", "client_credentials"]
AuthMethod = Literal["none", "client_secret_basic", "client_secret_post"]
ClientRole = Literal["agent"]
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _redirect_uri(value: str) -> str:
    try:
        parts = urlsplit(value)
        host = parts.hostname
    except ValueError:
        host = None
    if host is None or parts.scheme not in ("http", "https") or parts.fragment:
        raise PydanticCustomError(
            "redirect_uri_invalid",
            "A redirect URI must be an absolute http(s) URL without a fragment.",
        )
    if parts.scheme == "http" and host not in LOOPBACK_HOSTS:
        raise PydanticCustomError(
            "redirect_uri_insecure", "Plain http is allowed only for localhost and 127.0.0.1."
        )
    return value


def _scope(value: str) -> str:
    words = value.split()
    if not words or any(w not in SCOPES for w in words):
        raise PydanticCustomError(
            "scope_invalid", "Scopes are space-separated, from: " + ", ".join(SCOPES) + "."
        )
    return " ".join(dict.fromkeys(words))


RedirectUri = Annotated[str, Field(max_length=2000), AfterValidator(_redirect_uri)]
Scope = Annotated[str, Field(max_length=200), AfterValidator(_scope)]


class OAuthClientCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    redirect_uris: list[RedirectUri] = Field(default_factory=list, max_length=20)
    grant_types: list[GrantType] = Field(default=["authorization_code"], min_length=1)
    token_endpoint_auth_method: AuthMethod = "client_secret_basic"
    scope: Scope = Field(
        default=" ".join(OPENID_SCOPES), description="The scopes the client may ask for."
    )
    roles: list[ClientRole] = Field(default_factory=list, description="Client credentials only.")
    first_party: bool = Field(
        default=False, description="The portal's own application: users are not asked to consent."
    )

    @model_validator(mode="after")
    def _consistent(self) -> OAuthClientCreate:
        grants = set(self.grant_types)
        if "authorization_code" in grants and not self.redirect_uris:
            raise PydanticCustomError(
                "redirect_uris_required", "The authorization code grant needs redirect URIs."
            )
        if "refresh_token" in grants and "authorization_code" not in grants:
            raise PydanticCustomError(
                "grant_types_invalid", "Refresh tokens come only with the authorization code."
            )
        if "client_credentials" in grants and self.token_endpoint_auth_method == "none":
            raise PydanticCustomError(
                "grant_types_invalid", "Client credentials need a client with a secret."
            )
        if self.roles and "client_credentials" not in grants:
            raise PydanticCustomError(
                "roles_invalid", "Roles are for the client's own tokens (client credentials)."
            )
        return self


class OAuthClientRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    client_id: str
    name: str
    redirect_uris: list[str]
    grant_types: list[str]
    token_endpoint_auth_method: str
    scope: str
    roles: list[str]
    first_party: bool
    created_at: datetime


class OAuthClientCreated(OAuthClientRead):
    client_secret: str | None = Field(
        description="Shown only in this answer; only its hash is stored. None for public clients."
    )


class OAuthClientPage(BaseModel):
    items: list[OAuthClientRead]
    next_cursor: str | None = None


class OpenIDConfiguration(BaseModel):
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    scopes_supported: list[str] = list(SCOPES)
    response_types_supported: list[str] = ["code"]
    response_modes_supported: list[str] = ["query"]
    grant_types_supported: list[str] = [
        "authorization_code",
        "refresh_token",
        "client_credentials",
    ]
    subject_types_supported: list[str] = ["public"]
    id_token_signing_alg_values_supported: list[str] = ["RS256"]
    token_endpoint_auth_methods_supported: list[str] = [
        "client_secret_basic",
        "client_secret_post",
        "none",
    ]
    code_challenge_methods_supported: list[str] = ["S256"]
    claims_supported: list[str] = [
        "sub",
        "iss",
        "aud",
        "exp",
        "iat",
        "auth_time",
        "nonce",
        "amr",
        "acr",
        "preferred_username",
        "name",
        "email",
        "locale",
    ]
    # `urn:portal:acr:mfa` in a request's `acr_values` asks for two factors.
    acr_values_supported: list[str] = []


class UserInfo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sub: uuid.UUID
    preferred_username: str | None = None
    name: str | None = None
    email: str | None = None
    locale: Literal["de", "en"] | None = None
